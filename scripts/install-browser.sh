#!/bin/sh
# Install Debian's Chromium and the Noto CJK fonts for the browser tests, when they are missing.
# Playwright cannot download its own browsers here; the tests drive /usr/bin/chromium instead.
set -e
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$missing fonts-noto-cjk"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing$missing for the browser tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
    echo "Browser tests need$missing (apt-get install$missing); they will be skipped." >&2
fi
