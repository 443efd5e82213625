#!/usr/bin/env bash
# `npm run build`: every published file of the npm package, into pkg/.
#   1. the three adapter crates for wasm32 (profile "wasm": opt-level 3, LTO, abort):
#      the validation module (wasm/, wasend_bg.wasm), the send client's
#      (wasm/client/, client_bg.wasm), which the JavaScript loads on first use, and
#      campaign lists' (wasm/campaigns/, campaign_bg.wasm), for `wasend/campaigns`
#   2. the pinned wasm-bindgen CLI, web target (one glue for every runtime)
#   3. wasm-opt -Oz from npm binaryen (Debian's is too old, see TOOLCHAIN.md)
#   4. the hand-written API, runtime entries and types from wasm/js/, each entry
#      bundled with what it imports by esbuild (wrangler's)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${WASEND_PKG_OUT:-pkg}
wasm_bindgen=${WASM_BINDGEN_BIN:-$HOME/.cargo/bin/wasm-bindgen}
wasm_opt=node_modules/binaryen/bin/wasm-opt
features=${WASEND_WASM_FEATURES:-}

cargo build -p wasend-wasm -p wasend-client -p wasend-campaigns --target wasm32-unknown-unknown --profile wasm --locked ${features:+--features "wasend-wasm/$features"}
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
for module in wasend:wasend_wasm client:wasend_client campaign:wasend_campaigns; do
  name=${module%%:*} crate=${module#*:}
  "$wasm_bindgen" --target web --out-dir "$out.tmp" --out-name "$name" --no-typescript \
    "target/wasm32-unknown-unknown/wasm/$crate.wasm"
  "$wasm_opt" -Oz --one-caller-inline-max-function-size 100 --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    "$out.tmp/${name}_bg.wasm" -o "$out.tmp/${name}_bg.wasm"
done
cp wasm/js/*.js wasm/js/*.d.ts "$out.tmp/"
# Each entry inlines the modules it imports (glue, API, builders, loader): one ES module
# to load at import instead of five (BENCHMARKS.md: cold start). The separate files stay
# in the package for what imports them directly (the golden check reads the glue).
esbuild=${ESBUILD_BIN:-node_modules/@esbuild/linux-x64/bin/esbuild}
for entry in node browser workerd campaigns-node campaigns-browser campaigns-workerd; do
  case $entry in *node) platform=node ;; *) platform=neutral ;; esac
  "$esbuild" "$out.tmp/$entry.js" --bundle --format=esm --platform=$platform --log-level=warning \
    --external:'*.wasm' --external:./client.js --external:'node:*' --outfile="$out.tmp/$entry.bundle.js"
  mv "$out.tmp/$entry.bundle.js" "$out.tmp/$entry.js"
done
rm -rf "$out" && mv "$out.tmp" "$out"
# The composer page (www/, served by the Worker) imports the same files.
if [ "$out" = pkg ]; then
  rm -rf www/wasend && mkdir -p www/wasend && cp pkg/*.js pkg/*_bg.wasm www/wasend/
fi
for name in wasend client campaign; do
  printf 'built %s: %s_bg.wasm %s bytes, %s gzip\n' "$out" "$name" \
    "$(stat -c %s "$out/${name}_bg.wasm")" "$(gzip -9c "$out/${name}_bg.wasm" | wc -c)"
done
