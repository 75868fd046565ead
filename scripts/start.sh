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
# A young generation of at most 2 x 8 MB: V8 otherwise grows it to 128 MB under load and keeps
# it, for no measurable gain in swaps/s (docs/benchmarks.md). cashu-mint's bin sets the same flag.
exec node --no-experimental-strip-types --max-semi-space-size=8 apps/mint/dist/main.js
