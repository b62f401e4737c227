#!/usr/bin/env bash
# The browser tests of the HTML reports drive Debian's chromium (/usr/bin/chromium) through playwright-core;
# never `playwright install`. Installs it with apt-get when missing and this user may (root); otherwise says how.
set -euo pipefail
[ -x "${SHAKEDOWN_CHROMIUM:-/usr/bin/chromium}" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[shakedown setup] installing Debian's chromium for the browser tests (apt-get)" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
else
  echo "[shakedown setup] /usr/bin/chromium is missing: the browser tests will fail. Install Debian's chromium (sudo apt-get install chromium) or set SHAKEDOWN_CHROMIUM to a Chromium binary." >&2
fi
