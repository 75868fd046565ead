#!/usr/bin/env bash
# Installs Nutshell (PyPI `cashu`, the reference Cashu wallet and mint) into a Python venv in
# .tools/nutshell-<version>, once per machine, and prints the path of its `cashu` command; its mint,
# `mint`, is beside it (`pnpm bench:efficiency` loads it). `--if-installed` only prints the path when
# the venv is already there, and fails otherwise.
# Its pinned breez-sdk-spark 0.17 is not on the registry here; 0.18 stands in (the wallet only
# imports it), so the wheel goes in without its dependency resolution, and marshmallow<4 and
# limits<4 keep environs and slowapi on the APIs 0.21 was built against.
set -euo pipefail

NUTSHELL_VERSION=0.21.0
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.tools/nutshell-$NUTSHELL_VERSION"

if [[ -f "$venv/installed" ]]; then
  echo "$venv/bin/cashu"
  exit 0
fi
[[ "${1:-}" == "--if-installed" ]] && exit 1

command -v python3 >/dev/null || { echo "nutshell: Python 3 is required" >&2; exit 1; }
echo "nutshell: installing cashu $NUTSHELL_VERSION into $venv" >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A venv names its interpreter by absolute path, so it is built in place; `installed` marks it whole.
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" download --quiet --no-deps "cashu==$NUTSHELL_VERSION" -d "$work"
wheel=$(ls "$work"/cashu-"$NUTSHELL_VERSION"-*.whl)
"$venv/bin/python" - "$wheel" > "$work/requirements.txt" <<'PY'
import sys, zipfile, re
with zipfile.ZipFile(sys.argv[1]) as wheel:
    meta = next(n for n in wheel.namelist() if n.endswith('.dist-info/METADATA'))
    for line in wheel.read(meta).decode().splitlines():
        if line.startswith('Requires-Dist: ') and 'breez-sdk-spark' not in line:
            print(re.sub(r' \((.*)\)', r'\1', line[len('Requires-Dist: '):]))
PY
"$venv/bin/pip" install --quiet -r "$work/requirements.txt" 'breez-sdk-spark==0.18.0' 'marshmallow<4' 'limits<4'
"$venv/bin/pip" install --quiet --no-deps "$wheel"
touch "$venv/installed"
echo "$venv/bin/cashu"
