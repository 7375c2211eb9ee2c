#!/bin/sh
# Side-by-side: the example report typeset by Dossier (from examples/tajikistan-lgbt.yaml) and
# by Typst (typst.ts native Node binding, from the hand-written bench/peers/doc/report.typ with
# the same text, see README.md), each as a whole process per document, the two taking turns run
# by run; medians, and the ratio per page. Then the word spacing of both PDFs (spacing.py) and
# the white above their notes (bench/page_fill.py). Installs Typst on demand (npm into
# bench/peers/node_modules) and keeps its PDF as the reference in bench/results/typst-report.pdf.
# Not part of the test suite.
#   bench/peers/run.sh [runs]
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-5}"
cd "$root"

cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DDOSSIER_TESTS=OFF >/dev/null
cmake --build build-release -j "$(nproc)" --target dossier >/dev/null
bin="$root/build-release/engine/cli/dossier"

if [ ! -d "$here/node_modules/@myriaddreamin/typst-ts-node-compiler" ]; then
    (cd "$here" && npm install --no-audit --no-fund --silent)
fi
# The shared copy of the spacing measure when it is there (the issues cite it), else ours.
spacing="$root/../shared/tools/spacing.py"
[ -f "$spacing" ] || spacing="$root/bench/spacing.py"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT INT TERM
python3 - "$runs" "$out" "$bin" "$here" "$root" <<'PY'
import statistics, subprocess, sys, time
runs, out, dossier, here, root = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
jobs = {
    "dossier": ([dossier, "render", root + "/examples/tajikistan-lgbt.yaml", "-o", out + "/d.pdf"],
                out + "/d.pdf"),
    # Typst finds Liberation Serif in the repository's fonts/ (typst_compile.mjs's third argument).
    "typst": (["node", here + "/typst_compile.mjs", here + "/doc/report.typ", out + "/t.pdf",
               root + "/fonts"], out + "/t.pdf"),
}
def pages(pdf):
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    return int(next(l.split()[1] for l in info.splitlines() if l.startswith("Pages:")))
# The tools take turns run by run, so that a busy minute on the machine falls on both.
times = {name: [] for name in jobs}
for _ in range(runs):
    for name, (cmd, _) in jobs.items():
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[name].append(time.perf_counter() - t)
result = {}
for name, (cmd, pdf) in jobs.items():
    n = pages(pdf)
    med = statistics.median(times[name])
    result[name] = (med, n)
    print(f"{name:8s} median {med * 1000:7.0f} ms (min {min(times[name]) * 1000:.0f})  {n:3d} pages  "
          f"{med * 1000 / n:6.1f} ms/page")
d = result["dossier"][0] / result["dossier"][1]
t = result["typst"][0] / result["typst"][1]
print(f"per page, Dossier is {t / d:.1f}x faster than Typst")
PY
for tool in dossier typst; do
    printf '%-8s spacing: ' "$tool"
    python3 "$spacing" "$out/$(printf %.1s "$tool").pdf"
done
# White above the notes (bench/page_fill.py): Dossier's from its layout dump; Typst's from its
# PDF, the body running from the page whose footer says "Page 1 of" to the last, leaving out
# the page before the appendix (a forced new page) and the last page.
printf 'dossier  page fill: '
"$bin" render examples/tajikistan-lgbt.yaml --dump layout | python3 "$root/bench/page_fill.py" -
n="$(pdfinfo "$out/t.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')"
first=""; appendix=""; p=1
while [ "$p" -le "$n" ]; do
    text="$(pdftotext -f "$p" -l "$p" "$out/t.pdf" - 2>/dev/null)"
    if [ -z "$first" ] && printf '%s\n' "$text" | grep -q '^Page 1 of'; then first="$p"; fi
    if [ -n "$first" ] && printf '%s\n' "$text" | grep -qx 'Appendix A Curriculum vitae'; then
        appendix="$p"
    fi
    p=$((p + 1))
done
printf 'typst    page fill: '
# shellcheck disable=SC2046
python3 "$root/bench/page_fill.py" "$out/t.pdf" "$first" "$n" $([ -n "$appendix" ] && echo $((appendix - 1))) "$n"
mkdir -p "$root/bench/results"
cp "$out/t.pdf" "$root/bench/results/typst-report.pdf"
