#!/usr/bin/env bash
# Runs every test of wasend, installing what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

step() { printf '\n== %s\n' "$*"; }

# Every step is required unless it says otherwise: a suite that skips a test, or a
# cargo run with an ignored test, fails here; an optional step that cannot run is
# named at the end instead of passing in silence.
skipped_optional=()
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# node --test, failing when any test was skipped or left todo.
node_tests() {
  local log="$logs/node-$RANDOM.tap"
  node --test --test-reporter=tap "$@" | tee "$log"
  if ! grep -q '^# skipped 0$' "$log" || ! grep -q '^# todo 0$' "$log"; then
    echo "test.sh: a required test was skipped or left todo in: $*" >&2
    exit 1
  fi
}

# cargo test, failing when any test is ignored.
cargo_tests() {
  local log="$logs/cargo-$RANDOM.txt"
  cargo test "$@" 2>&1 | tee "$log"
  if grep -Eq '; [1-9][0-9]* ignored;' "$log"; then
    echo "test.sh: a required test is ignored in: cargo test $*" >&2
    exit 1
  fi
}

step "format"
cargo fmt --all --check

step "clippy (host, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings
# The library as the faces build it: without the CLI and the typed model.
cargo clippy -p wasend --no-default-features --lib --tests --locked -- -D warnings

step "clippy (wasm32-unknown-unknown)"
cargo clippy --workspace --lib --target wasm32-unknown-unknown --locked -- -D warnings
cargo clippy -p wasend-wasm -p wasend-alloc --all-targets --target wasm32-unknown-unknown --locked -- -D warnings
cargo clippy -p wasend-wasm --lib --features bench-boundary --target wasm32-unknown-unknown --locked -- -D warnings

step "rust tests (unit, vectors, phone corpus, cli, properties, doc)"
cargo_tests --workspace --locked
# The allocation ceilings as built to run: debug assertions allocate.
cargo_tests --release --locked --test allocations

step "wasm-bindgen-test: the vectors through the wasm exports and the modules' allocator, in Node and in headless Chromium"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
PATH="$HOME/.cargo/bin:$PATH" cargo_tests -p wasend-wasm -p wasend-alloc --target wasm32-unknown-unknown --locked
PATH="$HOME/.cargo/bin:$PATH" WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
  cargo_tests -p wasend-wasm -p wasend-alloc --target wasm32-unknown-unknown --locked
unset CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER

step "npm package: build, then the vectors, API, client, types and installed-tarball suites (Node $(node --version))"
npm run build
node_tests tests/npm/
node_modules/.bin/tsc -p tests/npm/tsconfig.json

step "golden oracle: the native core and the wasm module write every result and preview of tests/golden/ byte for byte"
cargo run --quiet --locked --example golden
node tests/golden/check.mjs

step "worker: build, then the proxy and sandbox suites under wrangler dev (workerd), and the OpenAPI lint"
scripts/worker-build.sh
node_tests tests/worker/
node_modules/.bin/redocly lint openapi.yaml

step "deploy, dry run: the Worker bundles as \`npm run deploy\` would upload it, under Cloudflare's size limit"
deploy_log="$logs/deploy.txt"
WASEND_PREPARED=1 scripts/deploy.sh --dry-run --outdir target/deploy 2>&1 | tee "$deploy_log"
# "Total Upload: 1166.58 KiB / gzip: 440.15 KiB"; the free plan's limit is 3 MB compressed.
gzip_kib=$(sed -n 's/.*Total Upload: .* gzip: \([0-9.]*\) KiB.*/\1/p' "$deploy_log" | tail -n 1)
[ -n "$gzip_kib" ] || { echo "test.sh: wrangler printed no upload size" >&2; exit 1; }
awk -v k="$gzip_kib" 'BEGIN { if (k > 3072) { print "test.sh: the Worker is " k " KiB gzip, over the 3 MB limit of the free plan" > "/dev/stderr"; exit 1 } }'

step "composer page: headless Chromium against the Worker in sandbox mode (screenshots in test-artifacts/composer/)"
node_tests tests/page/

step "stress, short versions (npm run bench runs them in full): load, faults, campaigns, hostile input, contract, wasm fuzzing"
node benches/load.mjs --quick
node benches/faults.mjs --quick
node benches/campaign.mjs --quick
node benches/hostile.mjs --quick
node benches/contract.mjs --quick
cargo build --release --locked --example validate_lines
node benches/fuzz-wasm.mjs --quick

step "vector files are what tests/vectors/build.py writes"
python3 tests/vectors/build.py --check

step "phone metadata and corpora are what libphonenumber-js and phonenumbers say, of one metadata release"
node scripts/refresh-phone-metadata.mjs --check
node tests/phone/corpus.mjs --check
.venv/bin/python tests/phone/examples.py --check
node tests/phone/examples-js.mjs --check

step "fuzz smoke (optional: needs the machine's nightly toolchain, which cannot be fetched here)"
if command -v cargo-fuzz >/dev/null 2>&1 && rustup toolchain list | grep -q '^nightly'; then
  python3 fuzz/seed.py
  (cd fuzz && cargo +nightly fuzz run validate --sanitizer none -- -max_total_time=20 -rss_limit_mb=2048 2>&1 | tail -n 3)
else
  echo "skipped: no nightly toolchain or cargo-fuzz"
  skipped_optional+=("fuzz smoke (no nightly toolchain or cargo-fuzz)")
fi

if [ ${#skipped_optional[@]} -eq 0 ]; then
  printf '\nall tests passed\n'
else
  printf '\nall required tests passed; optional steps skipped:\n'
  printf '  - %s\n' "${skipped_optional[@]}"
fi
