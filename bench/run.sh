#!/bin/sh
# Benchmarks (not part of the test suite): builds a Release binary and times whole-process
# renders of the example report. Prints medians over repeated runs.
#   bench/run.sh [runs]
set -eu
cd "$(dirname "$0")/.."
runs="${1:-20}"
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DDOSSIER_TESTS=OFF >/dev/null
cmake --build build-release -j "$(nproc)" --target dossier >/dev/null
bin=build-release/engine/cli/dossier
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT INT TERM

"$bin" render examples/tajikistan-lgbt.yaml -o "$out/r.pdf" 2>"$out/log"
pages=$(sed -n 's/.*(\([0-9]*\) pages, \([0-9]*\) bytes).*/\1/p' "$out/log")
bytes=$(sed -n 's/.*(\([0-9]*\) pages, \([0-9]*\) bytes).*/\2/p' "$out/log")

# wall time (ms) and peak RSS (KiB) of each run, via GNU time's format when present
i=0
: >"$out/times"
while [ "$i" -lt "$runs" ]; do
    /usr/bin/env time -f "%e %M" -o "$out/t" "$bin" render examples/tajikistan-lgbt.yaml \
        -o "$out/r.pdf" 2>/dev/null || python3 - "$bin" "$out" <<'PY'
import resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run([sys.argv[1], "render", "examples/tajikistan-lgbt.yaml", "-o", sys.argv[2] + "/r.pdf"],
               stderr=subprocess.DEVNULL, check=True)
e = time.perf_counter() - t
open(sys.argv[2] + "/t", "w").write(f"{e:.4f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\n")
PY
    cat "$out/t" >>"$out/times"
    i=$((i + 1))
done
python3 - "$out/times" "$pages" "$bytes" <<'PY'
import statistics, sys
rows = [tuple(map(float, l.split()[-2:])) for l in open(sys.argv[1]) if l.strip()]
wall = statistics.median(r[0] for r in rows)
rss = statistics.median(r[1] for r in rows) / 1024
pages, size = int(sys.argv[2]), int(sys.argv[3])
print(f"example report: {pages} pages, {size} bytes ({size // pages} bytes/page)")
print(f"median over {len(rows)} runs: {wall * 1000:.0f} ms wall, {rss:.1f} MB peak RSS, "
      f"{pages / wall:.0f} pages/s")
PY
"$bin" render examples/tajikistan-lgbt.yaml -o "$out/r.pdf" --timings
