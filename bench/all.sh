#!/bin/sh
# Every benchmark in one command (not part of the test suite): builds a Release binary, then
#   bench/run.sh         the example report: wall, CPU, peak memory, pages/s, bytes/page, stages
#   bench/batch.sh       batches of 100, 200 and 1,000 cases at -j 1 and -j 2
#   bench/spacing.sh     word spacing, optimal fit against first fit
#   bench/peers/run.sh   the same report written in Typst (installed on demand): time per page,
#                        word spacing and the white above the notes (bench/page_fill.py) of both
# Figures and their history: bench/RESULTS.md.
#   bench/all.sh [runs]
set -eu
cd "$(dirname "$0")"
runs="${1:-20}"
echo "== example report"
./run.sh "$runs"
echo "== batch"
./batch.sh 3
echo "== word spacing"
./spacing.sh
echo "== peers"
peers/run.sh 7
