#!/bin/sh
# Benchmarks (not part of the test suite): builds a Release binary and times whole-process
# renders of the example report. Prints medians over repeated runs: wall time, CPU time (user +
# system), peak memory, pages per second and bytes per page, then one run's --timings.
#   bench/run.sh [runs]
set -eu
cd "$(dirname "$0")/.."
runs="${1:-20}"
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DDOSSIER_TESTS=OFF >/dev/null
cmake --build build-release -j "$(nproc)" --target dossier >/dev/null
bin=build-release/engine/cli/dossier
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT INT TERM

# Each run is timed from fork to exit with perf_counter; os.wait4 gives that child's own CPU
# time and peak RSS (GNU time prints wall time in 10 ms steps, too coarse here).
python3 - "$bin" "$out" "$runs" <<'PY'
import os, re, statistics, subprocess, sys, time
bin, out, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
cmd = [bin, "render", "examples/tajikistan-lgbt.yaml", "-o", out + "/r.pdf"]
log = subprocess.run(cmd, capture_output=True, text=True, check=True).stderr
pages, size = map(int, re.search(r"\((\d+) pages, (\d+) bytes\)", log).groups())
rows = []
for _ in range(runs):
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        sys.exit("render failed")
    rows.append((wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024))
wall = statistics.median(r[0] for r in rows)
cpu = statistics.median(r[1] for r in rows)
rss = statistics.median(r[2] for r in rows)
print(f"example report: {pages} pages, {size} bytes ({size // pages} bytes/page)")
print(f"median over {runs} runs: {wall * 1000:.1f} ms wall (min {min(r[0] for r in rows) * 1000:.1f}), "
      f"{cpu * 1000:.1f} ms CPU, {rss:.1f} MB peak RSS, {pages / wall:.0f} pages/s")
PY
"$bin" render examples/tajikistan-lgbt.yaml -o "$out/r.pdf" --timings
