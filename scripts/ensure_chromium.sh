#!/usr/bin/env bash
# Browser tests need Debian's chromium and chromium-driver. Install them when missing and we are root;
# otherwise the browser tests skip and say why (under CI=true they fail instead).
set -u
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing chromium and chromium-driver with apt-get…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq chromium chromium-driver >/dev/null \
    || echo "apt-get could not install chromium; browser tests will skip (or fail under CI=true)."
else
  echo "chromium is missing and we are not root: browser tests will skip (or fail under CI=true)."
fi
exit 0
