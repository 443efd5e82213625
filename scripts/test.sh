#!/usr/bin/env bash
# Runs every test of wasend, installing what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

step() { printf '\n== %s\n' "$*"; }

step "format"
cargo fmt --all --check

step "clippy (host, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "clippy (wasm32-unknown-unknown)"
cargo clippy --workspace --lib --target wasm32-unknown-unknown --locked -- -D warnings
cargo clippy -p wasend-wasm --all-targets --target wasm32-unknown-unknown --locked -- -D warnings
cargo clippy -p wasend-wasm --lib --features bench-boundary --target wasm32-unknown-unknown --locked -- -D warnings

step "rust tests (unit, vectors, phone corpus, cli, properties, doc)"
cargo test --workspace --locked

step "wasm-bindgen-test: the vectors through the wasm exports, in Node and in headless Chromium"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
PATH="$HOME/.cargo/bin:$PATH" cargo test -p wasend-wasm --target wasm32-unknown-unknown --locked
PATH="$HOME/.cargo/bin:$PATH" WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test -p wasend-wasm --target wasm32-unknown-unknown --locked
unset CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER

step "npm package: build, then the vectors, API, client, types and installed-tarball suites (Node $(node --version))"
npm run build
node --test tests/npm/
node_modules/.bin/tsc -p tests/npm/tsconfig.json

step "worker: build, then the proxy and sandbox suites under wrangler dev (workerd), and the OpenAPI lint"
scripts/worker-build.sh
node --test tests/worker/
node_modules/.bin/redocly lint openapi.yaml

step "composer page: headless Chromium against the Worker in sandbox mode (screenshots in test-artifacts/composer/)"
node --test tests/page/

step "stress, short versions (npm run bench runs them in full): load, faults, hostile input, contract, wasm fuzzing"
node benches/load.mjs --quick
node benches/faults.mjs --quick
node benches/hostile.mjs --quick
node benches/contract.mjs --quick
cargo build --release --locked --example validate_lines
node benches/fuzz-wasm.mjs --quick

step "vector files are what tests/vectors/build.py writes"
python3 tests/vectors/build.py --check

step "phone metadata and corpus are what libphonenumber-js says"
node scripts/refresh-phone-metadata.mjs --check
node tests/phone/corpus.mjs --check

step "fuzz smoke"
if command -v cargo-fuzz >/dev/null 2>&1 && rustup toolchain list | grep -q '^nightly'; then
  python3 fuzz/seed.py
  (cd fuzz && cargo +nightly fuzz run validate --sanitizer none -- -max_total_time=20 -rss_limit_mb=2048 2>&1 | tail -n 3)
else
  echo "skipped: no nightly toolchain or cargo-fuzz"
fi

printf '\nall tests passed\n'
