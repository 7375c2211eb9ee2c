#!/bin/sh
# Word-spacing evenness of the example report with both line breakers (bench, not a test).
# Builds the binary if needed, renders examples/tajikistan-lgbt.yaml with optimal fit
# (Knuth-Plass, the default) and with --first-fit (the baseline), and prints bench/spacing.py's
# figures for each.   bench/spacing.sh [build-dir]
set -eu
cd "$(dirname "$0")/.."
build="${1:-build-release}"
if [ ! -x "$build/engine/cli/dossier" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DDOSSIER_TESTS=OFF >/dev/null
    cmake --build "$build" -j "$(nproc)" --target dossier >/dev/null
fi
bin="$build/engine/cli/dossier"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT INT TERM
"$bin" render examples/tajikistan-lgbt.yaml -o "$out/optimal.pdf" 2>/dev/null
"$bin" render examples/tajikistan-lgbt.yaml -o "$out/first.pdf" --first-fit 2>/dev/null
printf 'optimal fit: '
python3 bench/spacing.py "$out/optimal.pdf"
printf 'first fit:   '
python3 bench/spacing.py "$out/first.pdf"
