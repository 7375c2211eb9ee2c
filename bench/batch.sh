#!/bin/sh
# Batch throughput: 100, 200 and 1,000 generated cases (the six examples cycled, each copy with
# its own reference) and 200 copies of the 20-page example report, rendered with --force at
# -j 1 and -j 2; reports per second and peak memory, medians of several runs. Not part of the
# test suite.
#   bench/batch.sh [runs]
set -eu
cd "$(dirname "$0")/.."
runs="${1:-3}"
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DDOSSIER_TESTS=OFF >/dev/null
cmake --build build-release -j "$(nproc)" --target dossier >/dev/null
python3 - "$runs" "$(pwd)" <<'PY'
import os, re, resource, shutil, statistics, subprocess, sys, tempfile, time
runs, root = int(sys.argv[1]), sys.argv[2]
bin = root + "/build-release/engine/cli/dossier"
examples = sorted(f for f in os.listdir(root + "/examples") if f.endswith(".yaml"))
work = tempfile.mkdtemp()
try:
    def make(n, only=None):
        d = f"{work}/cases-{n}-{only or 'mixed'}"
        shutil.copytree(root + "/examples/experts", d + "/experts")
        for i in range(n):
            name = only or examples[i % len(examples)]
            text = open(f"{root}/examples/{name}").read()
            text = re.sub(r"(?m)^reference: .*$", f"reference: BENCH-{i:05d}", text)
            open(f"{d}/case-{i:05d}.yaml", "w").write(text)
        return d
    def measure(cases, jobs):
        out = f"{work}/out"
        # a fresh interpreter per run, so that ru_maxrss is this run's peak alone
        code = ("import resource,subprocess,sys,time;t=time.perf_counter();"
                "subprocess.run(sys.argv[1:],check=True,stderr=subprocess.DEVNULL);"
                "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        r = subprocess.run([sys.executable, "-c", code, bin, "batch", cases, "-o", out, "-j",
                            str(jobs), "--force"], capture_output=True, text=True, check=True)
        wall, rss = r.stdout.split()
        return float(wall), int(rss) / 1024
    for n, only in ((100, None), (200, None), (1000, None), (200, "tajikistan-lgbt.yaml")):
        cases = make(n, only)
        label = f"{n:5d} {'example-sized' if only else 'mixed'} cases"
        for jobs in (1, 2):
            if n == 100 and jobs == 1:
                continue
            rows = [measure(cases, jobs) for _ in range(runs if n < 1000 else max(1, runs - 1))]
            wall = statistics.median(r[0] for r in rows)
            rss = statistics.median(r[1] for r in rows)
            print(f"{label}  -j {jobs}: {wall:6.2f} s  {n / wall:6.1f} reports/s  "
                  f"peak {rss:6.1f} MB", flush=True)
finally:
    shutil.rmtree(work)
PY
