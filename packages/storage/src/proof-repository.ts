/**
 * Spent and reserved proofs, keyed by Y. Inserting a Y that exists fails on the primary key: that
 * constraint, not a prior read, is what stops a double spend between concurrent requests.
 */
import type { ProofRecord } from '@cashu-mint/core/mint'
import type { SQL } from 'drizzle-orm'
import { anyOf, type Db, preparedRead, preparedStatement, unnestInsert, writeOrConflict } from './db.ts'
import { and, eq, sql } from './drizzle.ts'
import { addToKeysetTotals } from './ledger-totals.ts'
import { proofs } from './schema.ts'

interface ProofRow {
  y: string
  keyset_id: string
  amount: string
  secret: string
  c: string
  witness: string | null
  state: ProofRecord['state']
  operation_id: string
}

const fromRow = (row: ProofRow): ProofRecord => ({
  y: row.y,
  keysetId: row.keyset_id,
  amount: BigInt(row.amount),
  secret: row.secret,
  C: row.c,
  witness: row.witness,
  state: row.state,
  operationId: row.operation_id,
})

const findProofsStatement = preparedRead<ProofRow>(
  sql`select y, keyset_id, amount, secret, c, witness, state, operation_id from ${proofs}
    where y = any(${sql.placeholder('ys')}::text[])`,
)

export const PROOF_CONFLICT = 'a proof is already spent or reserved'

/** The insert of proofs (unnestInsert: one statement for any number, sorted by Y). */
export const proofsInsert = unnestInsert<ProofRecord>(
  proofs,
  {
    y: (p) => p.y,
    keyset_id: (p) => p.keysetId,
    amount: (p) => p.amount.toString(),
    secret: (p) => p.secret,
    c: (p) => p.C,
    witness: (p) => p.witness,
    state: (p) => p.state,
    operation_id: (p) => p.operationId,
  },
  ['amount'],
)

/** The spent (not reserved) rows of a proofs insert or update named `rows`, for the totals. */
export const spentOf = (rows: SQL) =>
  sql`select keyset_id, 0 as signed, amount as spent from ${rows} where state = 'SPENT'`

const insertProofsStatement = preparedStatement(
  sql`with stored as (${proofsInsert.statement} returning keyset_id, amount, state)
    ${addToKeysetTotals(spentOf(sql`stored`))}`,
)

export async function insertProofs(db: Db, records: readonly ProofRecord[]): Promise<void> {
  if (records.length === 0) return
  await writeOrConflict(
    () => insertProofsStatement(db, proofsInsert.values(records)),
    'proof',
    PROOF_CONFLICT,
  )
}

export async function findProofs(db: Db, ys: readonly string[]): Promise<ProofRecord[]> {
  if (ys.length === 0) return []
  return (await findProofsStatement(db, { ys })).map(fromRow)
}

export async function markProofsSpent(db: Db, ys: readonly string[], operationId: string): Promise<void> {
  if (ys.length === 0) return
  const changed = db
    .update(proofs)
    .set({ state: 'SPENT' })
    .where(and(anyOf(proofs.y, ys), eq(proofs.operationId, operationId), eq(proofs.state, 'PENDING')))
    .returning({ keysetId: proofs.keysetId, amount: proofs.amount, state: proofs.state })
  await db.execute(sql`with changed as (${changed.getSQL()}) ${addToKeysetTotals(spentOf(sql`changed`))}`)
}

export async function deletePendingProofs(db: Db, ys: readonly string[], operationId: string): Promise<void> {
  if (ys.length === 0) return
  await db
    .delete(proofs)
    .where(and(anyOf(proofs.y, ys), eq(proofs.operationId, operationId), eq(proofs.state, 'PENDING')))
}
