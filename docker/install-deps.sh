#!/bin/sh
# The compose `deps` service: installs the npm packages the fakes and the example service need (production
# dependencies only) into /deps/node_modules, a named volume, so the checkout's own node_modules is never
# touched. Skipped when package-lock.json and the Node version are those of the last install.
set -eu
cd "${DEPS_DIR:-/deps}"  # DEPS_DIR: only to try the script outside the container
want="$(sha256sum package-lock.json | cut -d' ' -f1) $(node --version)"
if [ "$(cat node_modules/.shakedown-compose 2>/dev/null || true)" = "$want" ]; then
  echo "deps: node_modules is up to date"
  exit 0
fi
echo "deps: npm ci --omit=dev"
npm ci --omit=dev --no-audit --no-fund --loglevel=error
echo "$want" > node_modules/.shakedown-compose
