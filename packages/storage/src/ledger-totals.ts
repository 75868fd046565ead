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
 * `rebuild_ledger_totals()` (migrations 0010, 0012) computes them again from every stored row: the
 * migration runs it once for the rows stored before, and a restored snapshot runs it for its rows.
 * `ledger_recount_keysets()` and `ledger_recount_fees()` (0012) are that recount, read-only: the
 * drift below compares it with the totals, and a correction adds the difference.
 */
import type { SQL } from 'drizzle-orm'
import { bigintOf as big, type Db, rowsOf } from './db.ts'
import { sql } from './drizzle.ts'

/**
 * A recount from the rows minus the running totals, where they differ: empty when they agree. The
 * totals drift only if something wrote rows without them, such as an instance of a version before
 * 0010 still running beside a newer one.
 */
export interface LedgerDrift {
  keysets: { keysetId: string; signed: bigint; spent: bigint }[]
  fees: { unit: string; fees: bigint }[]
}

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

/**
 * The drift, and with `correct` the same statement adds it to the totals' row 0. One statement
 * reads the totals and the rows in one snapshot, so no lock is needed: writers that commit after
 * it add their own sums to their own rows, which a correction leaves as they are.
 */
function driftStatements(correct: boolean): [SQL, SQL] {
  const keysets = sql`with kept as (
      select keyset_id, sum(signed) as signed, sum(spent) as spent from keyset_totals group by 1),
    drift as (
      select keyset_id, coalesce(c.signed, 0) - coalesce(k.signed, 0) as signed,
        coalesce(c.spent, 0) - coalesce(k.spent, 0) as spent
      from kept k full join ledger_recount_keysets() c using (keyset_id)),
    differs as (select * from drift where signed <> 0 or spent <> 0)${
      correct
        ? sql`, corrected as (
      insert into keyset_totals (keyset_id, backend, signed, spent) select keyset_id, 0, signed, spent from differs
      on conflict (keyset_id, backend) do update
        set signed = keyset_totals.signed + excluded.signed, spent = keyset_totals.spent + excluded.spent)`
        : sql``
    }
    select keyset_id, signed, spent from differs order by keyset_id`
  const fees = sql`with kept as (select unit, sum(fees) as fees from fee_totals group by 1),
    drift as (
      select unit, coalesce(c.fees, 0) - coalesce(k.fees, 0) as fees
      from kept k full join ledger_recount_fees() c using (unit)),
    differs as (select * from drift where fees <> 0)${
      correct
        ? sql`, corrected as (
      insert into fee_totals (unit, backend, fees) select unit, 0, fees from differs
      on conflict (unit, backend) do update set fees = fee_totals.fees + excluded.fees)`
        : sql``
    }
    select unit, fees from differs order by unit`
  return [keysets, fees]
}

async function readDrift(db: Db, correct: boolean): Promise<LedgerDrift> {
  const [keysets, fees] = driftStatements(correct)
  return {
    keysets: rowsOf(await db.execute(keysets)).map((r) => ({
      keysetId: String(r.keyset_id),
      signed: big(r.signed),
      spent: big(r.spent),
    })),
    fees: rowsOf(await db.execute(fees)).map((r) => ({ unit: String(r.unit), fees: big(r.fees) })),
  }
}

/** How far the running totals are from a recount of the rows (read-only, no lock). */
export const ledgerDrift = (db: Db): Promise<LedgerDrift> => readDrift(db, false)

/**
 * Adds the drift to the totals and returns it. A transaction-scoped advisory lock makes two
 * corrections take turns, and the second one's statements see the first one's result.
 */
export const correctLedgerTotals = (db: Db): Promise<LedgerDrift> =>
  db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('cashu-mint: correct ledger totals'))`)
    return readDrift(tx as unknown as Db, true)
  })
