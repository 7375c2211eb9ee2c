#!/usr/bin/env python3
"""Turns `dossier render --dump document` output into the same report as Typst markup and as
HTML with CSS paged media, so that peers typeset exactly the same text as Dossier.

usage: convert.py DUMP.txt OUT_DIR      writes OUT_DIR/report.typ and OUT_DIR/report.html
"""
import html
import json
import re
import sys

LINE = re.compile(r'^(\s*)(\S+)(.*)$')
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def unquote(s):
    return json.loads('"' + s + '"')


def parse(text):
    doc = {"cover": {"rows": []}, "sections": [], "footnotes": {}, "header": ""}
    block = None
    footnote = None
    for raw in text.splitlines():
        m = LINE.match(raw)
        if not m:
            continue
        indent, word, rest = len(m.group(1)), m.group(2), m.group(3)
        strings = [unquote(q) for q in QUOTED.findall(rest)]
        if indent == 0:
            footnote = None
            if word == "header":
                doc["header"] = strings[0]
            elif word == "cover":
                doc["cover"]["title"], doc["cover"]["subtitle"] = strings[0], strings[1]
            elif word == "section":
                doc["sections"].append({"label": strings[0], "title": strings[1], "blocks": []})
            elif word == "footnote":
                footnote = int(rest.split()[0])
                doc["footnotes"][footnote] = []
        elif indent == 2 and footnote is None:
            if word == "row":
                doc["cover"]["rows"].append(strings)
            elif word == "notice":
                doc["cover"]["notice"] = strings[0]
            elif doc["sections"]:
                number = rest.split()[0] if rest.strip() and rest.split()[0].isdigit() else ""
                block = {"kind": word, "number": number, "runs": []}
                doc["sections"][-1]["blocks"].append(block)
        else:
            runs = doc["footnotes"][footnote] if footnote is not None else block["runs"]
            if word == "note":
                runs.append(("note", int(rest.split()[0])))
            else:
                runs.append((word, strings[0] if strings else ""))
    return doc


def typst_escape(s):
    return re.sub(r'([\\#*_`$<>@\[\]~"/=+-])', r'\\\1', s)


def typst_runs(runs, notes):
    out = []
    for style, text in runs:
        if style == "note":
            out.append("#footnote[" + typst_runs(notes[text], notes) + "]")
        elif style == "italic":
            out.append("#emph[" + typst_escape(text) + "]")
        elif style == "bold":
            out.append("#strong[" + typst_escape(text) + "]")
        else:
            out.append(typst_escape(text))
    return "".join(out)


def to_typst(doc):
    notes = doc["footnotes"]
    c = doc["cover"]
    out = [
        '#set document(title: "Expert report")',
        '#set text(font: "Liberation Serif", size: 11pt, lang: "en", region: "gb")',
        '#set par(justify: true, leading: 0.65em)',
        '#set page(paper: "a4", margin: 72pt, numbering: "1",',
        '  header: context { if counter(page).get().first() > 2 [#set text(size: 9pt); '
        + typst_escape(doc["header"]) + '] },',
        '  footer: context { if counter(page).get().first() > 2 [#set align(center); '
        '#set text(size: 9pt); Page #counter(page).display() of '
        '#counter(page).final().first()] })',
        '#show heading: set text(size: 13pt)',
        '#align(center)[#v(120pt) #text(size: 24pt, weight: "bold")[' + typst_escape(c["title"])
        + '] #v(12pt) #text(size: 16pt)[' + typst_escape(c["subtitle"]) + ']]',
        '#v(40pt)',
        '#table(columns: 2, stroke: none, '
        + ", ".join("[*" + typst_escape(a) + "*], [" + typst_escape(b) + "]"
                    for a, b in c["rows"]) + ')',
        '#v(1fr) #align(center)[*' + typst_escape(c.get("notice", "")) + '*]',
        '#pagebreak()',
        '#outline(title: "Contents", depth: 1)',
        '#pagebreak()',
    ]
    for s in doc["sections"]:
        if s["label"].startswith("Appendix"):
            out.append("#pagebreak()")
        out.append("= " + typst_escape((s["label"] + " " + s["title"]).strip()))
        for b in s["blocks"]:
            body = typst_runs(b["runs"], notes)
            if b["kind"] == "heading":
                out.append("\n*" + body + "*\n")
            elif b["kind"] == "paragraph" and b["number"]:
                out.append("\n#grid(columns: (28pt, 1fr), [" + b["number"] + ".], [" + body +
                           "])\n")
            elif b["kind"] == "quote":
                out.append("\n#pad(x: 28pt)[" + body + "]\n")
            elif b["kind"] in ("item",):
                out.append("\n- " + body + "\n")
            else:
                out.append("\n" + body + "\n")
    return "\n".join(out) + "\n"


def html_runs(runs, notes):
    out = []
    for style, text in runs:
        if style == "note":
            out.append('<span class="fn">' + html_runs(notes[text], notes) + "</span>")
        elif style == "italic":
            out.append("<em>" + html.escape(text) + "</em>")
        elif style == "bold":
            out.append("<strong>" + html.escape(text) + "</strong>")
        else:
            out.append(html.escape(text))
    return "".join(out)


CSS = """
@page { size: A4; margin: 72pt;
  @top-left { content: string(header); font-size: 9pt; }
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; } }
@page :first { @top-left { content: none; } @bottom-center { content: none; } }
body { font-family: "Liberation Serif"; font-size: 11pt; line-height: 14.5pt; }
p { text-align: justify; hyphens: auto; margin: 0 0 6pt 0; }
p.num { padding-left: 28pt; text-indent: -28pt; }
h1 { font-size: 13pt; margin: 18pt 0 6pt 0; }
h1, h2 { break-after: avoid; }
h2 { font-size: 11pt; margin: 9pt 0 3pt 0; }
blockquote { margin: 0 28pt 6pt 28pt; }
.fn { float: footnote; font-size: 9pt; line-height: 11pt; }
.cover { page: cover; break-after: page; text-align: center; }
.toc { break-after: page; }
.toc a::after { content: leader('.') target-counter(attr(href), page); }
.header { string-set: header content(); display: none; }
.appendix { break-before: page; }
p, li { orphans: 2; widows: 2; }
"""


def to_html(doc):
    notes = doc["footnotes"]
    c = doc["cover"]
    out = ['<!doctype html><html lang="en-GB"><head><meta charset="utf-8">',
           "<title>Expert report</title><style>" + CSS + "</style></head><body>",
           '<div class="cover"><h1 style="font-size:24pt;margin-top:120pt">'
           + html.escape(c["title"]) + "</h1><p style='text-align:center;font-size:16pt'>"
           + html.escape(c["subtitle"]) + "</p><table>"
           + "".join("<tr><th>" + html.escape(a) + "</th><td>" + html.escape(b) + "</td></tr>"
                     for a, b in c["rows"]) + "</table><p><strong>"
           + html.escape(c.get("notice", "")) + "</strong></p></div>",
           '<div class="toc"><h1>Contents</h1>']
    for i, s in enumerate(doc["sections"]):
        out.append('<p><a href="#s%d">%s</a></p>' % (i, html.escape((s["label"] + " " +
                                                                     s["title"]).strip())))
    out.append('</div><div class="header">' + html.escape(doc["header"]) + "</div>")
    for i, s in enumerate(doc["sections"]):
        cls = ' class="appendix"' if s["label"].startswith("Appendix") else ""
        out.append('<section%s><h1 id="s%d">%s</h1>' % (cls, i, html.escape(
            (s["label"] + " " + s["title"]).strip())))
        items = []
        for b in s["blocks"]:
            body = html_runs(b["runs"], notes)
            if b["kind"] != "item" and items:
                out.append("<ul>" + "".join(items) + "</ul>")
                items = []
            if b["kind"] == "heading":
                out.append("<h2>" + body + "</h2>")
            elif b["kind"] == "paragraph" and b["number"]:
                out.append('<p class="num">' + b["number"] + ".\u2003" + body + "</p>")
            elif b["kind"] == "quote":
                out.append("<blockquote>" + body + "</blockquote>")
            elif b["kind"] == "item":
                items.append("<li>" + body + "</li>")
            else:
                out.append("<p>" + body + "</p>")
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out)


def main():
    doc = parse(open(sys.argv[1], encoding="utf-8").read())
    with open(sys.argv[2] + "/report.typ", "w", encoding="utf-8") as f:
        f.write(to_typst(doc))
    with open(sys.argv[2] + "/report.html", "w", encoding="utf-8") as f:
        f.write(to_html(doc))


if __name__ == "__main__":
    main()
