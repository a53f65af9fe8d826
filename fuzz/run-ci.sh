#!/usr/bin/env bash
# Builds the fuzz targets and runs each as a plain seeded loop (no
# libFuzzer, stable toolchain) for a bounded number of inputs, each target
# capped in time too. The seed is fixed, so a CI run replays the same inputs
# every time (set FUZZ_SEED to explore others). A failure prints the seed,
# the iteration and the saved input (fuzz/artifacts/TARGET/).
#
# Budget: about 20 s per target on the 2-core machine, plus the build
# (a first build compiles wasmtime for abi_diff: about 35 minutes).
set -uo pipefail

cd "$(dirname "$0")"
seed="${FUZZ_SEED:-0}"
cap="${FUZZ_SECONDS:-60}"

echo "== cargo build --release (fuzz/)"
cargo build --release --bins || exit 1

# target  iterations
targets=(
  "core_decode 200000"
  "component_decode 1000000"
  "wit_parse 500000"
  "validate_diff 150000"
  "component_validate_diff 500000"
  "exec_diff 30000"
  "wave_parse 600000"
  "abi_diff 1800"
)

passed=0
failed=0
for t in "${targets[@]}"; do
  set -- $t
  echo "== fuzz $1 (seed $seed, $2 inputs, at most $cap s)"
  if target/release/"$1" --seed "$seed" --iterations "$2" --seconds "$cap"; then
    passed=$((passed + 1))
  else
    echo "error: fuzz target $1 failed (seed $seed)" >&2
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
