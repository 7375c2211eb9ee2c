#!/usr/bin/env python3
"""Word-spacing evenness of a PDF's justified lines (bench, not a test).

usage: bench/spacing.py FILE.pdf
Reads word boxes with `pdftotext -bbox-layout` (poppler-utils). A line counts as justified
when it is not the last line of its block and has at least six words. Its spacing is the mean
gap between neighbouring words divided by the line's height (the median word-box height, a
stand-in for the font size, so footnotes and body text compare). Prints the number of lines,
the median spacing, and the share of lines looser than 1.5x (and 2x) that median.
"""
import statistics
import subprocess
import sys
import xml.etree.ElementTree as ET


def line_spacings(pdf):
    xml = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], check=True,
                         capture_output=True, text=True).stdout
    # pdftotext writes XHTML; drop the namespace so the tags are plain.
    root = ET.fromstring(xml.replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    for block in root.iter("block"):
        lines = block.findall("line")
        for line in lines[:-1]:
            boxes = [tuple(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
                     for w in line.findall("word")]
            if len(boxes) < 6:
                continue
            height = statistics.median(b[3] - b[1] for b in boxes)
            gaps = [(b[0] - a[2]) / height for a, b in zip(boxes, boxes[1:]) if b[0] > a[2]]
            if len(gaps) >= 5:
                yield sum(gaps) / len(gaps)


def main():
    values = sorted(line_spacings(sys.argv[1]))
    if not values:
        sys.exit("no justified lines found")
    median = statistics.median(values)
    share = lambda f: 100.0 * sum(v > f * median for v in values) / len(values)
    print(f"lines {len(values)}  median_gap {median:.3f}  loose(>1.5x) {share(1.5):.1f}%  "
          f"very_loose(>2x) {share(2.0):.1f}%")


if __name__ == "__main__":
    main()
