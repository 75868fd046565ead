/**
 * Spent and reserved proofs, keyed by Y. Inserting a Y that exists fails on the primary key: that
 * constraint, not a prior read, is what stops a double spend between concurrent requests.
 */
import type { ProofRecord } from '@cashu-mint/core/mint'
import { anyOf, type Db, preparedStatement, type StatementValues, textArray, writeOrConflict } from './db.ts'
import { and, eq, sql } from './drizzle.ts'
import { proofs } from './schema.ts'

const fromRow = ({ c, ...row }: typeof proofs.$inferSelect): ProofRecord => ({ ...row, C: c })

export const PROOF_CONFLICT = 'a proof is already spent or reserved'

/**
 * The insert of proofs, one `text[]` per column through unnest: one statement for any number of
 * rows, so neither the driver's nor PostgreSQL's work on the statement grows with it.
 */
export const PROOFS_INSERT = sql`insert into ${proofs} (y, keyset_id, amount, secret, c, witness, state, operation_id)
  select * from unnest(${textArray('proof_y')}, ${textArray('proof_keyset_id')},
    ${textArray('proof_amount')}::numeric[], ${textArray('proof_secret')}, ${textArray('proof_c')},
    ${textArray('proof_witness')}, ${textArray('proof_state')}, ${textArray('proof_operation_id')})`

/** PROOFS_INSERT's values: sorted by Y, so concurrent writers take index locks in one order and cannot deadlock. */
export function proofValues(records: readonly ProofRecord[]): StatementValues {
  const rows = [...records].sort((a, b) => (a.y < b.y ? -1 : 1))
  return {
    proof_y: rows.map((p) => p.y),
    proof_keyset_id: rows.map((p) => p.keysetId),
    proof_amount: rows.map((p) => p.amount.toString()),
    proof_secret: rows.map((p) => p.secret),
    proof_c: rows.map((p) => p.C),
    proof_witness: rows.map((p) => p.witness),
    proof_state: rows.map((p) => p.state),
    proof_operation_id: rows.map((p) => p.operationId),
  }
}

const insertProofsStatement = preparedStatement(PROOFS_INSERT)

export async function insertProofs(db: Db, records: readonly ProofRecord[]): Promise<void> {
  if (records.length === 0) return
  await writeOrConflict(() => insertProofsStatement(db, proofValues(records)), 'proof', PROOF_CONFLICT)
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
