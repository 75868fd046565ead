#!/usr/bin/env bash
# Fails when the schema in packages/storage/src/schema.ts has changes that no migration in drizzle/
# holds. drizzle-kit compares the schema with the latest snapshot and says when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
before=$(ls drizzle/*.sql | wc -l)
out=$(pnpm exec drizzle-kit generate --name unreleased 2>&1)
if ! grep -q "No schema changes" <<<"$out"; then
  # Remove what the check itself just generated, and only that.
  if [ "$(ls drizzle/*.sql | wc -l)" -gt "$before" ]; then
    latest=$(ls drizzle/*_unreleased.sql | tail -1)
    tag=$(basename "$latest" .sql)
    rm -f "$latest" "drizzle/meta/${tag%%_*}_snapshot.json"
    git checkout -q -- drizzle/meta/_journal.json 2>/dev/null || true
  fi
  echo "db-check: drizzle/ is out of date with the schema; run 'pnpm db:generate' and commit the migration" >&2
  exit 1
fi
echo "db-check: migrations match the schema"
