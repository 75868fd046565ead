#!/usr/bin/env bash
# Fails when the schema in packages/storage/src/schema.ts has changes no migration in drizzle/ holds.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(pnpm exec drizzle-kit generate --name unreleased 2>&1)
if [ -n "$(git status --porcelain drizzle)" ]; then
  git status --porcelain drizzle
  git clean -fdq drizzle && git checkout -q drizzle
  echo "db-check: drizzle/ is out of date with the schema; run 'pnpm db:generate' and commit the migration" >&2
  exit 1
fi
echo "db-check: migrations match the schema"
