#!/usr/bin/env bash
# Runs the checks and the test suite on Node 24 after bringing in what it needs (scripts/setup.sh, idempotent):
# the type check (tsc --noEmit), the formatter's check (prettier --check), then vitest.
# Usage: scripts/test.sh [--fast] [vitest args...]
#   --fast   skip the end-to-end runs (the CLI started as a process, twins, the example service, robustness,
#            browser and Docker tests): the loop to run while editing, under a minute.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_BIN="$("$ROOT/scripts/setup.sh")"
export PATH="$NODE_BIN:$ROOT/.tools/bin:$PATH"
cd "$ROOT"
FAST=0
if [ "${1:-}" = "--fast" ]; then FAST=1; shift; fi
# No colour codes when the output is not a terminal (CI logs, files).
[ -t 1 ] || export NO_COLOR=1
echo "== type check (tsc --noEmit)"
node node_modules/typescript/bin/tsc -p tsconfig.json --noEmit
echo "== package build check (tsc -p tsconfig.build.json: the JavaScript and declarations npm pack ships)"
BUILD_CHECK="$(mktemp -d)"
trap 'rm -rf "$BUILD_CHECK"' EXIT
node node_modules/typescript/bin/tsc -p tsconfig.build.json --outDir "$BUILD_CHECK"
echo "== format check (prettier --check, beside the tests: its verdict is read after them)"
FORMAT_LOG="$BUILD_CHECK/prettier.log"
node node_modules/prettier/bin/prettier.cjs --check --cache --log-level warn . >"$FORMAT_LOG" 2>&1 &
FORMAT_PID=$!
format_verdict() {
  if ! wait "$FORMAT_PID"; then
    cat "$FORMAT_LOG" >&2
    echo "scripts/test.sh: the files above are not formatted; run: npx prettier --write ." >&2
    return 1
  fi
}
if [ "$FAST" = 1 ]; then
  status=0
  SHAKEDOWN_TEST_FAST=1 node node_modules/vitest/vitest.mjs run "$@" || status=$?
  format_verdict || status=1
  exit $status
fi
status=0
"$ROOT/scripts/ensure-chromium.sh"
node node_modules/vitest/vitest.mjs run "$@" || status=$?
format_verdict || status=1
exit $status
