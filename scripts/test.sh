#!/usr/bin/env bash
# Sets up a fresh machine and runs every check and test (the unit, regtest and wallets projects):
# the README's test command, and CI's.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh

pnpm install --frozen-lockfile
# Built once here, so the mints the tests start the README's way and the packaging test find it up to date.
pnpm build > /dev/null
bash scripts/postgres.sh
pnpm lint
pnpm typecheck
pnpm db:check
# lnd and btcd for the regtest project, built once per machine from the Go module proxy.
bash scripts/regtest-binaries.sh > /dev/null
# The wallets lane's wallet CLIs: Nutshell's from PyPI, CDK's built from crates.io, once per machine.
bash scripts/nutshell.sh > /dev/null
bash scripts/cdk-cli.sh > /dev/null
# Chromium for the dashboard test.
CHROMIUM_PATH="$(bash scripts/chromium.sh)"
export CHROMIUM_PATH
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=test-results.json "$@" || status=$?
# The wallets lane as a wallets x operations matrix (docs/compatibility.md is made from it).
node scripts/compatibility.ts test-results.json || true
# What CI keeps besides the log: the dashboard test's screenshots at 1280x900 and 390x844.
ls artifacts/*.png 2>/dev/null | sed 's/^/artifact: /' || true
node scripts/test-summary.ts test-results.json
exit "${status:-0}"
