#!/usr/bin/env bash
# Starts the machine's PostgreSQL (installing it from Debian if missing) and makes sure the test
# role exists: user "mint", password "mint", allowed to create the throwaway databases tests use.
# Tests read TEST_DATABASE_URL (default postgres://mint:mint@127.0.0.1:5432/postgres).
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /etc/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 1
done
su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mint') THEN
    CREATE ROLE mint LOGIN PASSWORD 'mint' CREATEDB;
  END IF;
END $$;
-- Lets tests drop their throwaway databases while a stopped instance's sessions are still closing.
GRANT pg_signal_backend TO mint;
-- Lets bench:scale write out what a fill left dirty before it measures (CHECKPOINT).
GRANT pg_checkpoint TO mint;
SQL
echo "postgres: PostgreSQL $version is up on 127.0.0.1:5432 (role mint)" >&2
