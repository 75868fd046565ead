#!/usr/bin/env bash
# Sets up a fresh machine and runs every check and test: the README's test command, and CI's.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh

pnpm install --frozen-lockfile
bash scripts/postgres.sh
pnpm lint
pnpm typecheck
pnpm db:check
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=test-results.json "$@" || status=$?
node scripts/test-summary.ts test-results.json
exit "${status:-0}"
