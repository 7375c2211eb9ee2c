#!/usr/bin/env python3
"""How far the text runs down each body page (bench, not a test).

usage: bench/page_fill.py LAYOUT.txt [-v]
       bench/page_fill.py FILE.pdf FIRST LAST [SKIP ...] [-v]
LAYOUT.txt is `dossier render CASE.yaml --dump layout` (engine/layout/dump.cpp: lengths in
1/1000 pt, y downward from the top edge, a text run's y is its baseline); "-" reads stdin.
A PDF from any typesetter (Typst, LaTeX, Dossier) is read with `pdftotext -bbox-layout`
(poppler) for the words and `qpdf --qdf` for the rules; a PDF does not say where the body
starts or where a new page was forced, so the caller names the pages: FIRST to LAST (1-based)
are measured, except the SKIP pages.

For every body page it takes the white between the lowest thing in the body column and the top
of the footnote rule, or the bottom margin when the page has no notes. From the dump, the body
starts at the first page labelled with decimal numbers; the lowest thing is a text run's
baseline plus its face's descender (hhea, from this repository's fonts/) or the bottom of a
rule or image; the footnote rule is the 0.5 pt rule at the left margin, a third of the measure
wide. Pages that end before a forced new page (the last page, and the page before each
appendix, since appendices start on a new page) are left out, and so are pages with no body
text. From a PDF, the lowest thing is the bottom of the lowest word box (poppler takes it from
the font's descent) and the footnote rule is the lowest horizontal rule at most 1 pt thick and
100 to 200 pt long that starts at the left margin. Both readings of Dossier's example agree to
0.1 pt. Prints the pages measured and the mean and max white in pt, over all of them and over
the pages with and without notes; -v lists every page.
"""
import os
import re
import statistics
import struct
import subprocess
import sys

MARGIN = 72000  # the body column's top and bottom margin (engine/layout/paginate.cpp)
NOTE_RULE_H = 500  # footnote rule: 0.5 pt high
FONTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fonts")


def descender(path):
    """The hhea descender of a TrueType face as a fraction of the em (positive, below)."""
    with open(path, "rb") as f:
        data = f.read()
    count = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(count):
        tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
        tables[tag] = offset
    units_per_em = struct.unpack(">H", data[tables[b"head"] + 18: tables[b"head"] + 20])[0]
    desc = struct.unpack(">h", data[tables[b"hhea"] + 6: tables[b"hhea"] + 8])[0]
    return -desc / units_per_em


def num(fields, key):
    m = re.search(r"\b" + key + r"=(-?\d+)", fields)
    return int(m.group(1)) if m else 0


def parse(text):
    width = height = 0
    fonts, pages, outline, first_body = {}, [], [], None
    for line in text.splitlines():
        word, _, rest = line.partition(" ")
        if word == "pages":
            width, height = map(int, rest.split()[2].split("x"))
        elif word == "font":
            index, name = rest.split(" ", 1)
            fonts[int(index)] = descender(os.path.join(FONTS, name.strip('"')))
        elif word == "page":
            pages.append({"appendix": rest.endswith("appendix"), "runs": [], "rules": [],
                          "images": []})
        elif word == "text":
            fields = rest.split(' "', 1)[0]
            pages[-1]["runs"].append({k: num(fields, k) for k in ("f", "s", "x", "y", "rot")})
        elif word in ("rule", "image"):
            fields = rest.split(' "', 1)[0]
            pages[-1][word + "s"].append({k: num(fields, k) for k in ("x", "y", "w", "h")})
        elif word == "outline":
            outline.append((num(rest, "level"), num(rest, "page"), num(rest, "y")))
        elif word == "label" and "style=decimal" in rest and first_body is None:
            first_body = num(rest, "page")
    return width, height, fonts, pages, outline, first_body or 0


TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|<<|>>|<[0-9A-Fa-f\s]*>|/[^\s/\[\]()<>{}%]+|"
                   rb"[-+]?(?:\d+\.?\d*|\.\d+)|[A-Za-z'\"*]+|[\[\]{}]|%[^\r\n]*")


def pdf_rules(pdf):
    """Per page (1-based), the filled rectangles and stroked horizontal lines, as (x, y, w, h)
    in points with y downward from the top edge. Follows q/Q and cm; ignores form XObjects."""
    qdf = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, "-"],
                         capture_output=True, check=False).stdout
    height = {}
    for n, box in re.findall(rb"%% Page (\d+)\n.*?/MediaBox\s*\[([^\]]*)\]", qdf, re.S):
        height[int(n)] = float(box.split()[3])
    rules = {}
    for m in re.finditer(rb"%% Contents for page (\d+)\n.*?stream\n(.*?)endstream", qdf, re.S):
        page = int(m.group(1))
        h = height.get(page, 841.89)
        out = rules.setdefault(page, [])
        ctm, stack, operands, path, width = (1, 0, 0, 1, 0, 0), [], [], [], 1.0
        cur = (0.0, 0.0)

        def at(x, y):
            a, b, c, d, e, f = ctm
            return a * x + c * y + e, b * x + d * y + f
        for tok in TOKEN.findall(m.group(2)):
            if re.fullmatch(rb"[-+]?(?:\d+\.?\d*|\.\d+)", tok):
                operands.append(float(tok))
                continue
            op, args = tok, operands
            operands = []
            if op == b"q":
                stack.append((ctm, width))
            elif op == b"Q" and stack:
                ctm, width = stack.pop()
            elif op == b"cm" and len(args) == 6:
                a, b, c, d, e, f = args
                A, B, C, D, E, F = ctm
                ctm = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
                       e * A + f * C + E, e * B + f * D + F)
            elif op == b"w" and args:
                width = args[0] * abs(ctm[3])
            elif op == b"m" and len(args) == 2:
                cur = at(*args)
            elif op == b"l" and len(args) == 2:
                end = at(*args)
                path.append(("line", cur, end))
                cur = end
            elif op == b"re" and len(args) == 4:
                (x0, y0), (x1, y1) = at(args[0], args[1]), at(args[0] + args[2], args[1] + args[3])
                path.append(("rect", (min(x0, x1), min(y0, y1)), (max(x0, x1), max(y0, y1))))
            elif op in (b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n"):
                for kind, (x0, y0), (x1, y1) in path:
                    if kind == "rect" and op != b"n" and op not in (b"S", b"s"):
                        out.append((x0, h - y1, x1 - x0, y1 - y0))
                    elif kind == "line" and op in (b"S", b"s", b"B", b"b") and abs(y1 - y0) < 0.01:
                        out.append((min(x0, x1), h - y0 - width / 2, abs(x1 - x0), width))
                path = []
    return rules


def parse_pdf(pdf, first, last, skip):
    xml = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], capture_output=True,
                         text=True, check=True).stdout
    rules = pdf_rules(pdf)
    rows, skipped = [], []
    for n, page in enumerate(re.findall(r"<page [^>]*>(.*?)</page>", xml, re.S), start=1):
        if n < first or n > last:
            continue
        if n in skip:
            skipped.append((n - 1, "named to skip"))
            continue
        height = 841.89
        notes = [r for r in rules.get(n, []) if r[3] <= 1 and 100 <= r[2] <= 200
                 and abs(r[0] - MARGIN / 1000) < 1 and r[1] > MARGIN / 1000]
        limit = max(r[1] for r in notes) if notes else height - MARGIN / 1000
        bottoms = [float(y1) for y0, y1 in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', page)
            if MARGIN / 1000 <= (float(y0) + float(y1)) / 2 < limit]
        if not bottoms:
            skipped.append((n - 1, "no body text"))
            continue
        rows.append((n - 1, limit - max(bottoms), bool(notes)))
    return rows, skipped


def report(rows, skipped, first):
    if not rows:
        sys.exit("no body pages measured")
    if "-v" in sys.argv:
        for p, white, has_notes in rows:
            print(f"page {p + 1:3d} (body {p - first + 1:3d}): {white:6.1f} pt above the "
                  + ("footnote rule" if has_notes else "bottom margin"))
        for p, why in skipped:
            print(f"page {p + 1:3d} (body {p - first + 1:3d}): left out, {why}")

    def figures(whites):
        return (f"{len(whites)} pages, white mean {statistics.mean(whites):.1f} pt, "
                f"max {max(whites):.1f} pt" if whites else "0 pages")
    print(f"all: {figures([w for _, w, _ in rows])}  (left out {len(skipped)})")
    print(f"  with notes: {figures([w for _, w, n in rows if n])}")
    print(f"  without:    {figures([w for _, w, n in rows if not n])}")


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    if len(args) >= 3 and args[0].endswith(".pdf"):
        first, last = int(args[1]), int(args[2])
        rows, skipped = parse_pdf(args[0], first, last, {int(a) for a in args[3:]})
        report(rows, skipped, first - 1)
        return
    if len(args) != 1:
        sys.exit(__doc__)
    text = sys.stdin.read() if args[0] == "-" else open(args[0], encoding="utf-8").read()
    width, height, fonts, pages, outline, first = parse(text)
    measure = width - 2 * MARGIN
    # A page is followed by a forced new page when the next page is the first of an appendix
    # section (a level-0 bookmark at the top of an appendix page).
    forced = {p for level, p, y in outline if level == 0 and y == MARGIN and p < len(pages)
              and pages[p]["appendix"]}
    rows, skipped = [], []
    for p in range(first, len(pages)):
        page = pages[p]
        if p == len(pages) - 1 or p + 1 in forced:
            skipped.append((p, "ends before a new page"))
            continue
        notes = [r for r in page["rules"] if r["h"] == NOTE_RULE_H and r["x"] == MARGIN
                 and abs(r["w"] - measure // 3) <= 1 and r["y"] > MARGIN]
        limit = min(r["y"] for r in notes) if notes else height - MARGIN
        bottoms = [r["y"] + fonts[r["f"]] * r["s"] for r in page["runs"]
                   if not r["rot"] and MARGIN <= r["y"] < limit]
        bottoms += [r["y"] + r["h"] for r in page["rules"] + page["images"]
                    if MARGIN <= r["y"] < limit and r not in notes]
        if not bottoms:
            skipped.append((p, "no body text"))
            continue
        white = (limit - max(bottoms)) / 1000
        rows.append((p, white, bool(notes)))
    report(rows, skipped, first)


if __name__ == "__main__":
    main()
