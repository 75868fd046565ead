#!/usr/bin/env bash
# Prints the path of a Chromium for the browser tests, installing Debian's package when there is
# none (the test machines run as root; elsewhere install it yourself or set CHROMIUM_PATH).
set -euo pipefail

for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
  if [[ -n "$candidate" && -x "$candidate" ]]; then
    echo "$candidate"
    exit 0
  fi
done

if [[ "$(id -u)" != 0 ]]; then
  echo "chromium.sh: no Chromium found; install it (apt-get install chromium) or set CHROMIUM_PATH" >&2
  exit 1
fi
echo "chromium.sh: installing chromium from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends chromium >&2 ||
  { apt-get update >&2 && apt-get install -y --no-install-recommends chromium >&2; }
echo /usr/bin/chromium
