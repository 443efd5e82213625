#!/usr/bin/env bash
# Size of the core compiled to wasm32-unknown-unknown, before any bindings:
# a throwaway cdylib (under target/) exporting plain C-ABI functions, so the
# figure is the core's own cost (opt-level "z", LTO, one codegen unit, abort on panic). Prints raw and gzip -9 bytes, with and
# without wasm-opt -Oz (npm binaryen, see ../shared/TOOLCHAIN.md).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=$root/target/wasm-size
mkdir -p "$dir/src"
cat > "$dir/Cargo.toml" <<TOML
[package]
name = "wasend-size"
version = "0.0.0"
edition = "2021"
publish = false
[lib]
crate-type = ["cdylib"]
[features]
phone-only = []
[dependencies]
wasend = { path = "$root" }
[profile.release]
opt-level = "z"
lto = true
codegen-units = 1
panic = "abort"
[workspace]
TOML
cat > "$dir/src/lib.rs" <<'RS'
//! Exports for size measurement only.
use std::alloc::{alloc, Layout};

#[no_mangle]
pub extern "C" fn buffer(len: usize) -> *mut u8 {
    unsafe { alloc(Layout::from_size_align(len.max(1), 1).unwrap()) }
}

#[no_mangle]
pub extern "C" fn check(ptr: *const u8, len: usize) -> u32 {
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    #[cfg(feature = "phone-only")]
    {
        let s = std::str::from_utf8(bytes).unwrap_or("");
        u32::from(wasend::phone::check(s, None).errors.is_empty())
    }
    #[cfg(not(feature = "phone-only"))]
    {
        let r = wasend::validate_json(bytes, &wasend::Options::default());
        r.to_json().len() as u32
    }
}
RS
opt=$root/node_modules/binaryen/bin/wasm-opt
report() {
  local name=$1 wasm=$2
  local raw gz
  raw=$(stat -c %s "$wasm"); gz=$(gzip -9c "$wasm" | wc -c)
  printf '%-34s %8d bytes raw %7d bytes gzip\n' "$name" "$raw" "$gz"
  if [ -x "$opt" ]; then
    "$opt" -Oz --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals "$wasm" -o "$wasm.opt"
    raw=$(stat -c %s "$wasm.opt"); gz=$(gzip -9c "$wasm.opt" | wc -c)
    printf '%-34s %8d bytes raw %7d bytes gzip\n' "$name + wasm-opt -Oz" "$raw" "$gz"
  fi
}
for variant in phone-only full; do
  features=""
  [ "$variant" = phone-only ] && features="--features phone-only"
  # shellcheck disable=SC2086
  (cd "$dir" && cargo build --quiet --release --target wasm32-unknown-unknown --target-dir "$dir/target" $features)
  cp "$dir/target/wasm32-unknown-unknown/release/wasend_size.wasm" "$dir/$variant.wasm"
  case $variant in
    phone-only) report "phone::check only" "$dir/$variant.wasm" ;;
    full) report "validate_json + result to json" "$dir/$variant.wasm" ;;
  esac
done
