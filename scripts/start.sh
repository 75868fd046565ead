#!/usr/bin/env bash
# Sets up a fresh machine and starts a mint on http://127.0.0.1:3338: FakeWallet Lightning, unit sat,
# PGlite data and a freshly generated seed in ./data. Configure with CASHU_MINT_* variables
# (see README); DATABASE_URL=postgres://... switches to PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
pnpm install --frozen-lockfile --silent
exec node apps/mint/src/main.ts
