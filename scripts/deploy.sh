#!/usr/bin/env bash
# `npm run deploy [-- wrangler deploy arguments]`: builds the npm package (the page's
# copy of it under www/wasend/ included) and deploys the Worker and the page with
# `wrangler deploy`, which runs wrangler.toml's [build] command (scripts/worker-build.sh),
# as Cloudflare's templates do. Installs what is missing first.
#
#   npm run deploy                                   # to the account wrangler is logged in to
#   npm run deploy -- --dry-run --outdir target/deploy   # bundle only, offline (CI runs this)
#
# Secrets are set apart, once: wrangler secret put UPSTREAM_API_KEY | CLIENT_TOKENS | WEBHOOK_SECRET
set -euo pipefail
cd "$(dirname "$0")/.."
# The test command has done both already and says so (WASEND_PREPARED=1).
if [ -z "${WASEND_PREPARED:-}" ]; then
  scripts/setup.sh
  npm run build --silent
fi
# wrangler needs Node >= 22: node_modules/.bin holds the pinned Node 22 (TOOLCHAIN.md).
export PATH="$PWD/node_modules/.bin:$PATH" WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
exec wrangler deploy "$@"
