#!/usr/bin/env bash
# Builds the Worker (worker/build/) with worker-build, using the tools this
# repository installs instead of letting worker-build download its own
# (TOOLCHAIN.md: it fetches wasm-bindgen, wasm-opt and esbuild otherwise).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export WASM_BINDGEN_BIN="${WASM_BINDGEN_BIN:-$HOME/.cargo/bin/wasm-bindgen}"
export WASM_OPT_BIN="${WASM_OPT_BIN:-$root/node_modules/binaryen/bin/wasm-opt}"
export ESBUILD_BIN="${ESBUILD_BIN:-$(ls "$root"/node_modules/@esbuild/linux-x64/bin/esbuild 2>/dev/null || echo esbuild)}"
cd "$root/worker"
exec "$HOME/.cargo/bin/worker-build" --release
