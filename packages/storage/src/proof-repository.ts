/**
 * Spent and reserved proofs, keyed by Y. Inserting a Y that exists fails on the primary key: that
 * constraint, not a prior read, is what stops a double spend between concurrent requests.
 */
import type { ProofRecord } from '@cashu-mint/core/mint'
import type { SQL } from 'drizzle-orm'
import { anyOf, arrayOf, type Db, writeOrConflict } from './db.ts'
import { and, eq, sql } from './drizzle.ts'
import { proofs } from './schema.ts'

const fromRow = ({ c, ...row }: typeof proofs.$inferSelect): ProofRecord => ({ ...row, C: c })

export const PROOF_CONFLICT = 'a proof is already spent or reserved'

/**
 * The insert of `records`, sorted by Y so concurrent writers take index locks in one order and
 * cannot deadlock. One statement shape for any number of rows (arrays through unnest): the driver
 * and the query builder do the same small amount of work for 1 or 1000 proofs.
 */
export function proofsInsert(records: readonly ProofRecord[]): SQL {
  const rows = [...records].sort((a, b) => (a.y < b.y ? -1 : 1))
  const column = (pick: (p: ProofRecord) => string | null) => arrayOf(rows, pick)
  return sql`insert into ${proofs} (y, keyset_id, amount, secret, c, witness, state, operation_id)
    select * from unnest(${column((p) => p.y)}, ${column((p) => p.keysetId)},
      ${column((p) => p.amount.toString())}::numeric[], ${column((p) => p.secret)}, ${column((p) => p.C)},
      ${column((p) => p.witness)}, ${column((p) => p.state)}, ${column((p) => p.operationId)})`
}

export async function insertProofs(db: Db, records: readonly ProofRecord[]): Promise<void> {
  if (records.length === 0) return
  await writeOrConflict(() => db.execute(proofsInsert(records)), 'proof', PROOF_CONFLICT)
}

export async function findProofs(db: Db, ys: readonly string[]): Promise<ProofRecord[]> {
  if (ys.length === 0) return []
  return (await db.select().from(proofs).where(anyOf(proofs.y, ys))).map(fromRow)
}

export async function markProofsSpent(db: Db, ys: readonly string[], operationId: string): Promise<void> {
  if (ys.length === 0) return
  await db
    .update(proofs)
    .set({ state: 'SPENT' })
    .where(and(anyOf(proofs.y, ys), eq(proofs.operationId, operationId), eq(proofs.state, 'PENDING')))
}

export async function deletePendingProofs(db: Db, ys: readonly string[], operationId: string): Promise<void> {
  if (ys.length === 0) return
  await db
    .delete(proofs)
    .where(and(anyOf(proofs.y, ys), eq(proofs.operationId, operationId), eq(proofs.state, 'PENDING')))
}
