#!/usr/bin/env bash
# The ladder of real components: builds it (build.sh, installing missing
# toolchains), builds witness, and compares witness with wasmtime on every
# case (run.py; its options pass through, e.g. --only py -v).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=tests/ladder/env.sh
. "$here/env.sh"
"$here/build.sh"
(cd "$here/../.." && cargo build -q --release --bin witness)
exec python3 "$here/run.py" "$@"
