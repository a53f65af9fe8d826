# Sourced by build.sh and run.sh: the folder where pip puts the ladder's
# tools (wasmtime, wasm-tools, componentize-py) first on PATH, whether or
# not a shim manager (pyenv) knows them yet.
PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
export PATH
