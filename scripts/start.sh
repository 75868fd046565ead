#!/usr/bin/env bash
# Sets up a fresh machine and starts a mint on http://127.0.0.1:3338: FakeWallet Lightning, unit sat,
# PGlite data and a freshly generated seed in ./data. Configure with CASHU_MINT_* variables
# (see README); DATABASE_URL=postgres://... switches to PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
pnpm install --frozen-lockfile --silent
# Production runs the built JavaScript; no TypeScript is stripped at run time.
pnpm --silent build > /dev/null
exec node --no-experimental-strip-types apps/mint/dist/main.js
