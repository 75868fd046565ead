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
# Memory (docs/benchmarks.md): a young generation of at most 2 x 8 MB (V8 otherwise grows it to
# 128 MB under load and keeps it, for no gain in swaps/s); the old generation collected once it grows
# 40 % past what survived the last collection (V8 lets it double or more first: 165-181 MB peaks
# against 136-141, same CPU per swap); --expose-gc lets the mint give memory back once it goes quiet
# (apps/mint/src/idle-memory.ts); --liftoff-only compiles PGlite's WASM with V8's baseline compiler
# only: the optimizing one peaks at 740 MB on postgres's largest functions as a PGlite mint starts
# (190 MB without; 218 against 273-283 MB under load, for 7 % more CPU per swap; no effect on
# PostgreSQL, where nothing is WASM). cashu-mint's bin sets the same flags.
exec node --no-experimental-strip-types --max-semi-space-size=8 --heap-growing-percent=40 --expose-gc --liftoff-only apps/mint/dist/main.js
