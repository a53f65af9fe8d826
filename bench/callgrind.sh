#!/bin/sh
# Counts the instructions one engine executes on one kernel, under
# valgrind's callgrind: a reliable number on a noisy machine.
#
#   bench/callgrind.sh KERNEL [ENGINE] [--full]
#
# ENGINE is witness (default), wasmi, wasmtime-pulley or wasmtime-cranelift.
# Without --full the kernel runs its quick workload (--quick; callgrind is
# about 50x slower than native). Only the measured calls are counted
# (--toggle-collect on the functions that make them), not compiling,
# instantiating, setting up memory or checking results. The profile stays in
# bench/target/callgrind.ENGINE.KERNEL.out: `callgrind_annotate FILE` lists
# the top functions, `callgrind_annotate --auto=yes FILE` the hot lines.
set -eu
usage="usage: bench/callgrind.sh KERNEL [witness|wasmi|wasmtime-pulley|wasmtime-cranelift] [--full]"
kernel=${1:?$usage}
engine=witness
quick=--quick
shift
for arg in "$@"; do
    case $arg in
        --full) quick= ;;
        -*) echo "$usage" >&2; exit 2 ;;
        *) engine=$arg ;;
    esac
done
dir=$(cd "$(dirname "$0")" && pwd)
inputs=${WITNESS_BENCH_INPUTS:-$dir/../../shared/bench}
cargo build --release --quiet --manifest-path "$dir/Cargo.toml"
out=$dir/target/callgrind.$engine.$kernel.out
valgrind --tool=callgrind --callgrind-out-file="$out" \
    --toggle-collect='*timed_calls*' --toggle-collect='*timed_command*' \
    "$dir/target/release/witness-bench" --child "$engine" "$kernel" --inputs "$inputs" $quick \
    >/dev/null 2>"$out.log" || { cat "$out.log" >&2; exit 1; }
count=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$out")
echo "$kernel on $engine${quick:+ (quick)}: $count instructions"
