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

# The wasm-bindgen CLI must equal the crate's pinned version exactly; its lock file
# names a yanked crate, so no --locked (TOOLCHAIN.md). 11-20 minutes the first time.
if [ "$("$HOME/.cargo/bin/wasm-bindgen" --version 2>/dev/null)" != "wasm-bindgen 0.2.130" ]; then
  say "installing wasm-bindgen-cli 0.2.130"
  cargo install wasm-bindgen-cli --version 0.2.130
fi

# worker-build builds the Worker (TOOLCHAIN.md: about 20 minutes the first time).
if ! "$HOME/.cargo/bin/worker-build" --version 2>/dev/null | grep -q "0\.8\.7"; then
  say "installing worker-build 0.8.7"
  cargo install worker-build --version 0.8.7 --locked
fi

apt_install() { # packages...
  local sudo_=""
  [ "$(id -u)" -ne 0 ] && sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq "$@"
}

# Headless Chromium and its driver, for wasm-bindgen-test and the browser tests.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing chromium and chromium-driver from apt"
  apt_install chromium chromium-driver
fi

# cargo-fuzz runs on the nightly toolchain the machine carries; fuzzing is
# skipped (and said so) where there is none.
if rustup toolchain list | grep -q '^nightly' && ! have cargo-fuzz; then
  say "installing cargo-fuzz"
  cargo install cargo-fuzz --version 0.13.2 --locked
fi

# From PyPI, in .venv: Schemathesis for the contract run (benches/contract.mjs),
# phonenumbers, Google's libphonenumber in Python, the second referee of the phone
# verdicts (tests/phone/examples.py): the release whose metadata is wasend's; and
# pywa, a real Meta SDK the ingress is tested with (tests/worker/sdk.test.mjs).
PHONENUMBERS_VERSION=9.0.43
if [ ! -x .venv/bin/pip ]; then
  # Debian's python3 makes virtual environments only with python3-venv.
  python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
  python3 -m venv .venv
fi
if [ "$(.venv/bin/schemathesis --version 2>/dev/null)" != "schemathesis, version 4.32.5" ]; then
  say "installing schemathesis==4.32.5 into .venv"
  .venv/bin/pip install --quiet --disable-pip-version-check schemathesis==4.32.5
fi
if [ "$(.venv/bin/python -c 'import phonenumbers; print(phonenumbers.__version__)' 2>/dev/null)" != "$PHONENUMBERS_VERSION" ]; then
  say "installing phonenumbers==$PHONENUMBERS_VERSION into .venv"
  .venv/bin/pip install --quiet --disable-pip-version-check "phonenumbers==$PHONENUMBERS_VERSION"
fi
if [ "$(.venv/bin/python -c 'import pywa; print(pywa.__version__)' 2>/dev/null)" != "4.5.0" ]; then
  say "installing pywa==4.5.0 into .venv"
  .venv/bin/pip install --quiet --disable-pip-version-check pywa==4.5.0
fi
