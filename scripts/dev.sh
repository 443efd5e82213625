#!/usr/bin/env bash
# `npm run dev [-- wrangler dev arguments]`: the composer page and the send proxy
# on this machine, in sandbox mode unless .dev.vars sets UPSTREAM_API_KEY (the
# provider's, or with UPSTREAM_DIALECT=meta Meta's; the Meta sandbox without one).
# Installs what is missing first; prints the client token to use.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
npm run build --silent

if [ ! -f .dev.vars ]; then
  token="dev-$(node -e 'process.stdout.write(require("node:crypto").randomBytes(18).toString("hex"))')"
  {
    echo "# written by scripts/dev.sh; see .dev.vars.example"
    echo "CLIENT_TOKENS=dev:$token"
    echo "ALLOWED_ORIGINS=http://localhost:8787,http://127.0.0.1:8787"
  } > .dev.vars
fi
token=$(sed -n 's/^CLIENT_TOKENS=\([^,]*\).*/\1/p' .dev.vars | sed 's/^[^:]*://')
dialect=$(sed -n 's/^UPSTREAM_DIALECT=//p' .dev.vars)
dialect=${dialect:-provider}
mode="sandbox, $dialect dialect (no UPSTREAM_API_KEY in .dev.vars)"
grep -q '^UPSTREAM_API_KEY=.' .dev.vars && mode="upstream, $dialect dialect $(sed -n 's/^UPSTREAM_URL=//p' .dev.vars)"
cat <<TXT

  wasend: $mode
  client token for the page and the API:  $token
  (from .dev.vars; send it as "Authorization: Bearer <token>")

TXT
# wrangler needs Node >= 22: node_modules/.bin holds the pinned Node 22 (TOOLCHAIN.md).
export PATH="$PWD/node_modules/.bin:$PATH" WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
exec wrangler dev "$@"
