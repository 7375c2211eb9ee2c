#!/bin/sh
# Runs every libFuzzer target for a bounded time: fuzz/run.sh BUILD_DIR SECONDS [TARGET...]
# Two targets at a time (the CI machine has two cores). Each starts from its seed corpus in
# fuzz/corpus/NAME (read only) plus a working corpus in BUILD_DIR/fuzz-corpus/NAME, and writes
# any crashing, leaking or slow input to BUILD_DIR/fuzz-artifacts/. Exits 1 on any finding.
set -eu
cd "$(dirname "$0")/.."
build="$1"
seconds="$2"
shift 2
targets="${*:-case when clause pipeline sample}"
mkdir -p "$build/fuzz-artifacts" "$build/fuzz-logs"

run_one() {
    name="$1"
    mkdir -p "$build/fuzz-corpus/$name"
    # -timeout: a hostile input must stop within 2 s in a normal build; the sanitizers are
    # up to 5 times slower. -rss_limit_mb: the 200 MB bound, with room for ASan's shadow
    # memory and quarantine.
    "$build/fuzz/fuzz_$name" "$build/fuzz-corpus/$name" "fuzz/corpus/$name" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
        -artifact_prefix="$build/fuzz-artifacts/$name-" >"$build/fuzz-logs/$name.log" 2>&1
}

status=0
passed=0
failed=0
set -- $targets
while [ $# -gt 0 ]; do
    a="$1"; shift
    b="${1:-}"; [ $# -gt 0 ] && shift
    run_one "$a" & pa=$!
    pb=""
    if [ -n "$b" ]; then run_one "$b" & pb=$!; fi
    for pair in "$a:$pa" "$b:$pb"; do
        name="${pair%%:*}"; pid="${pair#*:}"
        [ -n "$name" ] || continue
        if wait "$pid"; then
            result=ok; passed=$((passed + 1))
        else
            result=FAILED; status=1; failed=$((failed + 1))
        fi
        runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/fuzz-logs/$name.log" | grep -o '[0-9]*$' || echo '?')"
        echo "fuzz: $name: $result, ${seconds} s, $runs executions (log: $build/fuzz-logs/$name.log)"
        if [ "$result" = FAILED ]; then tail -n 60 "$build/fuzz-logs/$name.log"; fi
    done
done
echo "fuzz: $passed passed, $failed failed"
exit "$status"
