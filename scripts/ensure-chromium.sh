#!/usr/bin/env bash
# The Swagger UI test (test/medium/ops/swagger-browser.spec.ts) drives Debian's Chromium. `npm test` runs this
# first so the README's one test command works on a fresh machine; without Chromium that test fails, saying so.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo "sudo")
echo "Installing Debian's chromium for the browser test…"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
