#!/usr/bin/env bash
# Installs LNbits (PyPI `lnbits`) into a Python venv in .tools/lnbits-<version>, once per machine,
# and prints the path of its `lnbits` command. bitstring 5 breaks the `bolt11` package LNbits
# imports, so it stays below 5. `--if-installed` only prints the path when it is already there.
set -euo pipefail

LNBITS_VERSION=1.6.2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.tools/lnbits-$LNBITS_VERSION"

if [[ -f "$venv/installed" ]]; then
  echo "$venv/bin/lnbits"
  exit 0
fi
[[ "${1:-}" == --if-installed ]] && exit 1
command -v python3 >/dev/null || { echo "lnbits: Python 3 is required" >&2; exit 1; }
echo "lnbits: installing lnbits $LNBITS_VERSION into $venv" >&2
# A venv names its interpreter by absolute path, so it is built in place; `installed` marks it whole.
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet "lnbits==$LNBITS_VERSION" 'bitstring<5' >&2
touch "$venv/installed"
echo "$venv/bin/lnbits"
