#!/bin/sh
# The compose `deps` service: installs the npm packages the fakes and the example service need (production
# dependencies, plus the example's openai SDK) into /deps/node_modules, a named volume, so the checkout's own
# node_modules is never touched. Skipped when package-lock.json and the Node version are those of the last install.
set -eu
cd "${DEPS_DIR:-/deps}"  # DEPS_DIR: only to try the script outside the container
want="$(sha256sum package-lock.json | cut -d' ' -f1) $(node --version)"
if [ "$(cat node_modules/.shakedown-compose 2>/dev/null || true)" = "$want" ]; then
  echo "deps: node_modules is up to date"
  exit 0
fi
echo "deps: npm ci --omit=dev"
npm ci --omit=dev --no-audit --no-fund --loglevel=error
# The example service's SDK is a devDependency (only the example uses it, so users of the package never install
# it): add it at its locked version beside the rest. It has no dependencies of its own.
openai="$(node -p "require('./package-lock.json').packages['node_modules/openai'].version")"
echo "deps: openai@$openai for the example service"
tmp="$(mktemp -d)"
npm install --prefix "$tmp" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "openai@$openai"
rm -rf node_modules/openai && cp -R "$tmp/node_modules/openai" node_modules/openai && rm -rf "$tmp"
echo "$want" > node_modules/.shakedown-compose
