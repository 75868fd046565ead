/**
 * Running totals for the operator's reports (reports.ts): what was signed and spent per keyset id,
 * and the NUT-02 fees that swaps and redemptions earned per unit. Every statement that stores
 * signatures, spends proofs or records a receipt adds its rows' sums in the same statement, so the
 * totals commit or roll back with them, and a report reads a few rows whatever the size of the
 * spent set.
 *
 * Each statement adds to its own connection's row (`pg_backend_pid()`): two connections never
 * write one row, so concurrent swaps do not wait for each other, and a transaction that writes
 * twice only takes row locks no other connection asks for. A report sums the rows; a later
 * connection that gets a finished one's pid goes on adding to its row, so the rows grow with the
 * connections the database has seen (a few per start of the mint), not with the spent set.
 *
 * `rebuild_ledger_totals()` (migration 0010) computes them again from every stored row: the
 * migration runs it once for the rows stored before, and a restored snapshot runs it for its rows.
 */
import type { SQL } from 'drizzle-orm'
import { sql } from './drizzle.ts'

/** Adds `rows` (keyset_id, signed, spent) to this connection's keyset totals. */
export function addToKeysetTotals(rows: SQL): SQL {
  return sql`insert into keyset_totals (keyset_id, backend, signed, spent)
    select keyset_id, pg_backend_pid(), sum(signed), sum(spent) from (${rows}) added group by keyset_id
    on conflict (keyset_id, backend) do update
      set signed = keyset_totals.signed + excluded.signed, spent = keyset_totals.spent + excluded.spent`
}

/** Adds `rows` (unit, fees) to this connection's fee totals. */
export function addToFeeTotals(rows: SQL): SQL {
  return sql`insert into fee_totals (unit, backend, fees)
    select unit, pg_backend_pid(), sum(fees) from (${rows}) added group by unit
    on conflict (unit, backend) do update set fees = fee_totals.fees + excluded.fees`
}

/** Recomputes every total from the stored rows (after rows were written around the statements above). */
export const rebuildLedgerTotals = sql`select rebuild_ledger_totals()`
