#!/usr/bin/env bash
# Runs the test suite on Node 24 after bringing in what it needs (scripts/setup.sh, idempotent).
# Usage: scripts/test.sh [vitest args...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_BIN="$("$ROOT/scripts/setup.sh")"
"$ROOT/scripts/ensure-chromium.sh"
export PATH="$NODE_BIN:$ROOT/.tools/bin:$PATH"
cd "$ROOT"
# No colour codes when the output is not a terminal (CI logs, files).
[ -t 1 ] || export NO_COLOR=1
exec node node_modules/vitest/vitest.mjs run "$@"
