/**
 * A consistent copy of every table, for backups that work the same on PostgreSQL and PGlite and
 * while the mint runs: the rows are read in one REPEATABLE READ transaction, so the copy is one
 * moment of the database. Restoring writes them into an empty, migrated database in one
 * transaction. The seed is not in it: it never leaves the data folder through the database.
 */

import type { PgTable } from 'drizzle-orm/pg-core'
import type { Db } from './db.ts'
import { getTableColumns, getTableName, sql } from './drizzle.ts'
import { rebuildLedgerTotals } from './ledger-totals.ts'
import * as schema from './schema.ts'

export const SNAPSHOT_FORMAT = 'cashu-mint-snapshot/1'

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT
  /** Unix seconds. */
  createdAt: bigint
  tables: Record<string, Record<string, unknown>[]>
}

/** In dependency-free order; restoring inserts them in this order too. */
const TABLES: PgTable[] = [
  schema.keysets,
  schema.mintQuotes,
  schema.meltQuotes,
  schema.meltSagas,
  schema.proofs,
  schema.blindSignatures,
  schema.issuances,
  schema.receipts,
  schema.refunds,
  schema.holds,
  schema.settlementPositions,
  schema.operatorSettings,
  schema.cachedResponses,
  schema.authProofs,
  schema.authIssuance,
  schema.imports,
  schema.importedBooks,
]

export async function exportSnapshot(db: Db, createdAt: bigint): Promise<Snapshot> {
  const tables: Snapshot['tables'] = {}
  await db.transaction(
    async (tx) => {
      for (const table of TABLES) tables[getTableName(table)] = await tx.select().from(table)
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
  return { format: SNAPSHOT_FORMAT, createdAt, tables }
}

/** Lossless JSON reads integers as bigint; integer and jsonb columns want numbers back. */
function numbersBack(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value)
  if (Array.isArray(value)) return value.map(numbersBack)
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, numbersBack(v)]))
  return value
}

function rowFor(table: PgTable, row: Record<string, unknown>): Record<string, unknown> {
  const columns = getTableColumns(table)
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => {
      const type = columns[key]?.columnType
      if (type === 'PgInteger' || type === 'PgJsonb') return [key, numbersBack(value)]
      if ((type === 'PgNumeric' || type === 'PgBigInt64') && value !== null)
        return [key, BigInt(value as bigint)]
      return [key, value]
    }),
  )
}

/** Writes a snapshot into a database that has no keysets yet (fresh and migrated). */
export async function restoreSnapshot(db: Db, snapshot: Snapshot): Promise<Record<string, number>> {
  if (snapshot.format !== SNAPSHOT_FORMAT) throw new Error(`not a ${SNAPSHOT_FORMAT} backup`)
  const counts: Record<string, number> = {}
  await db.transaction(async (tx) => {
    const [existing] = await tx.select({ n: sql<number>`count(*)` }).from(schema.keysets)
    if (Number(existing?.n ?? 0) > 0) throw new Error('the database is not empty: restore into a new one')
    for (const table of TABLES) {
      const rows = (snapshot.tables[getTableName(table)] ?? []).map((row) => rowFor(table, row))
      for (let i = 0; i < rows.length; i += 500) await tx.insert(table).values(rows.slice(i, i + 500))
      counts[getTableName(table)] = rows.length
    }
    // The rows went in around the statements that keep the running totals: compute them.
    await tx.execute(rebuildLedgerTotals)
  })
  return counts
}
