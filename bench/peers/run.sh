#!/bin/sh
# Side-by-side: the same report typeset by Dossier, by Typst (typst.ts native Node binding) and
# by WeasyPrint, each as a whole process per document, medians over several runs, with ratios
# per page. Installs the peers on demand (npm into bench/peers/node_modules; WeasyPrint from
# Debian). Not part of the test suite.
#   bench/peers/run.sh [runs]
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
runs="${1:-5}"
cd "$root"

cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DDOSSIER_TESTS=OFF >/dev/null
cmake --build build-release -j "$(nproc)" --target dossier >/dev/null
bin="$root/build-release/engine/cli/dossier"

if ! command -v weasyprint >/dev/null 2>&1; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get install -y -qq --no-install-recommends weasyprint >/dev/null
fi
if [ ! -d "$here/node_modules/@myriaddreamin/typst-ts-node-compiler" ]; then
    (cd "$here" && npm install --no-audit --no-fund --silent)
fi

# The peers' inputs carry exactly the text of Dossier's document tree for the example.
"$bin" render examples/tajikistan-lgbt.yaml --dump document >"$here/doc/dump.txt"
python3 "$here/convert.py" "$here/doc/dump.txt" "$here/doc"
rm -f "$here/doc/dump.txt"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT INT TERM
python3 - "$runs" "$out" "$bin" "$here" "$root" <<'PY'
import statistics, subprocess, sys, time
runs, out, dossier, here, root = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
jobs = {
    "dossier": [dossier, "render", root + "/examples/tajikistan-lgbt.yaml", "-o", out + "/d.pdf"],
    "typst": ["node", here + "/typst_compile.mjs", here + "/doc/report.typ", out + "/t.pdf",
              root + "/fonts"],
    "weasyprint": ["weasyprint", here + "/doc/report.html", out + "/w.pdf"],
}
def pages(pdf):
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    return int(next(l.split()[1] for l in info.splitlines() if l.startswith("Pages:")))
result = {}
for name, cmd in jobs.items():
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    pdf = cmd[-1] if name != "typst" else out + "/t.pdf"
    if name == "dossier":
        pdf = out + "/d.pdf"
    n = pages(pdf)
    med = statistics.median(times)
    result[name] = (med, n)
    print(f"{name:10s} median {med * 1000:8.0f} ms  {n:3d} pages  {med * 1000 / n:7.1f} ms/page")
d = result["dossier"][0] / result["dossier"][1]
for name in ("typst", "weasyprint"):
    p = result[name][0] / result[name][1]
    print(f"per page, Dossier is {p / d:.1f}x faster than {name}")
PY
