#!/usr/bin/env bash
# Sets up a fresh machine and runs every check and test (the unit, regtest and wallets projects):
# the README's test command, and CI's.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh

# The peers the tests start are built or installed once per machine into .tools. Chromium comes
# first (apt, which protoc for the Rust builds also uses: one apt at a time); then the long builds
# run in the background while the workspace installs, builds and is checked: Rust (CDK's wallet CLI,
# CDK's payment processor, cdk-mintd for the import tests, CDK's signatory and nostr-rs-relay for
# the stamp relay, one after another into one shared cargo target), Go (lnd and btcd for the regtest project) and Python (Nutshell's
# wallet and mint, then LNbits). Each logs to .tools/logs.
CHROMIUM_PATH="$(bash scripts/chromium.sh)"
export CHROMIUM_PATH
mkdir -p .tools/logs
(bash scripts/cdk-cli.sh && bash scripts/cdk-processor.sh && bash scripts/cdk-mintd.sh &&
  bash scripts/cdk-signatory.sh && bash scripts/nostr-rs-relay.sh) > .tools/logs/rust.log 2>&1 &
rust=$!
bash scripts/regtest-binaries.sh > .tools/logs/go.log 2>&1 &
go=$!
(bash scripts/nutshell.sh && bash scripts/lnbits.sh) > .tools/logs/python.log 2>&1 &
python=$!

pnpm install --frozen-lockfile
# Built once here, so the mints the tests start the README's way and the packaging test find it up to date.
pnpm build > /dev/null
bash scripts/postgres.sh
pnpm lint
pnpm typecheck
pnpm db:check
for build in rust go python; do
  wait "${!build}" || { echo "the $build build failed:" >&2; cat ".tools/logs/$build.log" >&2; exit 1; }
done
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=test-results.json "$@" || status=$?
# The wallets lane as a wallets x operations matrix (docs/compatibility.md is made from it).
node scripts/compatibility.ts test-results.json || true
# What CI keeps besides the log: the dashboard test's screenshots at 1280x900 and 390x844.
ls artifacts/*.png 2>/dev/null | sed 's/^/artifact: /' || true
node scripts/test-summary.ts test-results.json
exit "${status:-0}"
