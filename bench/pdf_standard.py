#!/usr/bin/env python3
"""What PDF/A-1b costs: renders the example with --pdf-standard pdfa-1b and none, interleaved,
and prints the medians of the whole process's wall time, of the pdf stage (--timings) and the
file sizes.  bench/pdf_standard.py BINARY [RUNS]  (not part of the test suite)"""
import os, re, statistics, subprocess, sys, tempfile, time

binary = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 60
case = os.path.join(os.path.dirname(__file__), "..", "examples", "tajikistan-lgbt.yaml")
wall = {"pdfa-1b": [], "none": []}
stage = {"pdfa-1b": [], "none": []}
size = {}
with tempfile.TemporaryDirectory() as out:
    for _ in range(runs):
        for mode in wall:
            pdf = os.path.join(out, mode + ".pdf")
            cmd = [binary, "render", case, "--pdf-standard", mode, "--timings", "-o", pdf]
            start = time.perf_counter()
            p = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
            log = p.communicate()[1]
            wall[mode].append((time.perf_counter() - start) * 1000)
            if p.returncode != 0:
                sys.exit(log)
            stage[mode].append(float(re.search(r"pdf\s+([\d.]+) ms", log).group(1)))
            size[mode] = os.path.getsize(pdf)
for mode in wall:
    print(f"{mode:8} wall {statistics.median(wall[mode]):6.1f} ms   pdf stage "
          f"{statistics.median(stage[mode]):5.2f} ms   {size[mode]:,} bytes")
