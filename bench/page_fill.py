#!/usr/bin/env python3
"""How far the text runs down each body page (bench, not a test).

usage: bench/page_fill.py LAYOUT.txt [-v]
  LAYOUT.txt is `dossier render CASE.yaml --dump layout` (engine/layout/dump.cpp: lengths in
  1/1000 pt, y downward from the top edge, a text run's y is its baseline); "-" reads stdin.

For every body page (from the first page labelled with decimal numbers on) it takes the white
between the lowest thing in the body column (a text run's baseline plus the face's descender,
or the bottom of a rule or image) and the top of the footnote rule (the 0.5 pt rule at the left
margin, a third of the measure wide, below the body), or the bottom margin when the page has
no notes. Pages that end before a forced new page (the last page, and the page before each
appendix, since appendices start on a new page) are left out, and so are pages with no body
text. Prints the pages measured and the mean and max white in pt, for all of them and for the pages
with and without notes; -v lists every page.
The descender is the one in the face's hhea table (fonts/ of this repository).
"""
import os
import re
import statistics
import struct
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


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
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


if __name__ == "__main__":
    main()
