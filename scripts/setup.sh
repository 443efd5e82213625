#!/usr/bin/env bash
# Installs what wasend's builds and tests need on a fresh machine of this kind
# (see ../shared/TOOLCHAIN.md), skipping what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

have() { command -v "$1" >/dev/null 2>&1; }
say() { printf 'setup: %s\n' "$*"; }

# Rust: the wasm target (clippy runs there too) and the components CI uses.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for c in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$c"; then
    say "adding rust component $c"
    rustup component add "$c"
  fi
done

# npm packages (libphonenumber-js is the phone metadata's source and the
# corpus's referee), from the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# cargo-fuzz runs on the nightly toolchain the machine carries; fuzzing is
# skipped (and said so) where there is none.
if rustup toolchain list | grep -q '^nightly' && ! have cargo-fuzz; then
  say "installing cargo-fuzz"
  cargo install cargo-fuzz --version 0.13.2 --locked
fi
