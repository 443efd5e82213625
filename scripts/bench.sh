#!/usr/bin/env bash
# `npm run bench`: every benchmark and stress run of BENCHMARKS.md, in one go, on
# this machine (about 30 minutes; the two 10-minute fuzz runs go side by side at
# the end, one per core). Each run's output goes to target/bench/; then
# benches/report.mjs writes target/bench/report.md and the generated part of
# BENCHMARKS.md. Nothing else runs meanwhile: the figures are ratios from one run.
#
#   npm run bench                      # everything
#   npm run bench -- --no-fuzz         # without the two 10-minute fuzz runs
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
fuzz=1
[ "${1:-}" = "--no-fuzz" ] && fuzz=0

out=target/bench
mkdir -p "$out"
step() { printf '\n== %s\n' "$*"; }
failed=()
run() { # name command...: runs it, keeps its output in target/bench/<name>.txt
  local name=$1; shift
  step "$name: $*"
  # A goal not met is reported, and the other runs still go.
  "$@" 2>&1 | tee "$out/$name.txt" || failed+=("$name")
}

step "builds: npm package, Worker, native example"
npm run build --silent
scripts/worker-build.sh
cargo build --release --locked --example validate_lines

# twiggy reads the module's bytes (benches/wasm-bytes.mjs); only the benchmarks need it.
if ! "$HOME/.cargo/bin/twiggy" --version 2>/dev/null | grep -q "0\.8\.0"; then
  cargo install twiggy --version 0.8.0 --locked
fi

run core cargo bench --locked --bench core
run allocations cargo test --release --locked --test allocations -- --nocapture
run phone-peers node benches/phone-peers.mjs
run wasm-size ./benches/wasm-size.sh
run wasm-bytes node benches/wasm-bytes.mjs
run wasm-variants node benches/wasm-variants.mjs
run npm node benches/npm.mjs --rebuild
run worker node benches/worker.mjs
run load node benches/load.mjs
run faults node benches/faults.mjs
run campaign node benches/campaign.mjs
run hostile node benches/hostile.mjs
run contract node benches/contract.mjs

if [ "$fuzz" = 1 ]; then
  step "fuzzing, 10 minutes each, side by side: native (cargo fuzz) and through the wasm boundary (Node)"
  python3 fuzz/seed.py
  if command -v cargo-fuzz >/dev/null 2>&1 && rustup toolchain list | grep -q '^nightly'; then
    (cd fuzz && cargo +nightly fuzz run validate -- -max_total_time=600 -rss_limit_mb=4096 -print_final_stats=1; \
      echo "exit status: $?") > "$out/fuzz-native.txt" 2>&1 &
    native=$!
  else
    echo "no nightly toolchain or cargo-fuzz: the native fuzz run is skipped" | tee "$out/fuzz-native.txt"
    native=
  fi
  node benches/fuzz-wasm.mjs --seconds 600 2>&1 | tee "$out/fuzz-wasm.txt" || failed+=(fuzz-wasm)
  if [ -n "$native" ]; then
    wait "$native"
    tail -n 25 "$out/fuzz-native.txt"
    grep -q '^exit status: 0$' "$out/fuzz-native.txt" || failed+=(fuzz-native)
  fi
fi

step "report"
node benches/report.mjs
if [ ${#failed[@]} -gt 0 ]; then
  echo "goals not met in: ${failed[*]} (see target/bench/report.md)"
  exit 1
fi
