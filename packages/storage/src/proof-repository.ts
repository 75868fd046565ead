/**
 * Spent and reserved proofs, keyed by Y. Inserting a Y that exists fails on the primary key: that
 * constraint, not a prior read, is what stops a double spend between concurrent requests.
 */
import { type ProofRecord, StoreConflictError } from '@cashu-mint/core/mint'
import { and, eq, inArray } from 'drizzle-orm'
import { type Db, uniqueViolation } from './db.ts'
import { proofs } from './schema.ts'

const toRow = (p: ProofRecord) => ({ ...p, c: p.C })
const fromRow = ({ c, ...row }: typeof proofs.$inferSelect): ProofRecord => ({ ...row, C: c })

export async function insertProofs(db: Db, records: readonly ProofRecord[]): Promise<void> {
  if (records.length === 0) return
  // Sorted by Y so concurrent transactions take index locks in one order and cannot deadlock.
  const rows = [...records].sort((a, b) => (a.y < b.y ? -1 : 1)).map(toRow)
  try {
    await db.insert(proofs).values(rows)
  } catch (error) {
    if (uniqueViolation(error) !== undefined)
      throw new StoreConflictError('proof', 'a proof is already spent or reserved')
    throw error
  }
}

export async function findProofs(db: Db, ys: readonly string[]): Promise<ProofRecord[]> {
  if (ys.length === 0) return []
  return (
    await db
      .select()
      .from(proofs)
      .where(inArray(proofs.y, [...ys]))
  ).map(fromRow)
}

export async function markProofsSpent(db: Db, ys: readonly string[], operationId: string): Promise<void> {
  if (ys.length === 0) return
  await db
    .update(proofs)
    .set({ state: 'SPENT' })
    .where(and(inArray(proofs.y, [...ys]), eq(proofs.operationId, operationId), eq(proofs.state, 'PENDING')))
}

export async function deletePendingProofs(db: Db, ys: readonly string[], operationId: string): Promise<void> {
  if (ys.length === 0) return
  await db
    .delete(proofs)
    .where(and(inArray(proofs.y, [...ys]), eq(proofs.operationId, operationId), eq(proofs.state, 'PENDING')))
}
