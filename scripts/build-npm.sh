#!/usr/bin/env bash
# `npm run build`: every published file of the npm package, into pkg/.
#   1. the adapter crate for wasm32 (profile "wasm": opt-level 3, LTO, abort)
#   2. the pinned wasm-bindgen CLI, web target (one glue for every runtime)
#   3. wasm-opt -Oz from npm binaryen (Debian's is too old, see TOOLCHAIN.md)
#   4. the hand-written API, runtime entries and types from wasm/js/
set -euo pipefail
cd "$(dirname "$0")/.."
out=${WASEND_PKG_OUT:-pkg}
wasm_bindgen=${WASM_BINDGEN_BIN:-$HOME/.cargo/bin/wasm-bindgen}
wasm_opt=node_modules/binaryen/bin/wasm-opt
features=${WASEND_WASM_FEATURES:-}

cargo build -p wasend-wasm --target wasm32-unknown-unknown --profile wasm --locked ${features:+--features "$features"}
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
"$wasm_bindgen" --target web --out-dir "$out.tmp" --out-name wasend --no-typescript \
  target/wasm32-unknown-unknown/wasm/wasend_wasm.wasm
"$wasm_opt" -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  "$out.tmp/wasend_bg.wasm" -o "$out.tmp/wasend_bg.wasm"
cp wasm/js/*.js wasm/js/index.d.ts "$out.tmp/"
rm -rf "$out" && mv "$out.tmp" "$out"
# The composer page (www/, served by the Worker) imports the same files.
if [ "$out" = pkg ]; then
  rm -rf www/wasend && mkdir -p www/wasend && cp pkg/*.js pkg/wasend_bg.wasm www/wasend/
fi
printf 'built %s: wasend_bg.wasm %s bytes, %s gzip\n' "$out" \
  "$(stat -c %s "$out/wasend_bg.wasm")" "$(gzip -9c "$out/wasend_bg.wasm" | wc -c)"
