/**
 * A swap's whole write in one statement: its inputs recorded SPENT and its signatures stored, by
 * two inserts in one data-modifying CTE. A statement is atomic on its own, so this needs no
 * transaction around it and costs one round trip instead of four (BEGIN, two inserts, COMMIT). A Y
 * or B_ stored before fails the whole statement on its primary key, which says which it was.
 */
import { type ProofRecord, type SignatureRecord, StoreConflictError } from '@cashu-mint/core/mint'
import { arrayOf, type Db } from './db.ts'
import { sql } from './drizzle.ts'
import { blindSignatures, proofs } from './schema.ts'

/** The unique constraint a write broke (postgres.js names it constraint_name, PGlite constraint). */
function brokenConstraint(error: unknown): string | undefined {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const found = e as { code?: string; constraint_name?: string; constraint?: string }
    if (found.code === '23505') return found.constraint_name ?? found.constraint ?? ''
  }
  return undefined
}

export async function recordSpend(
  db: Db,
  spent: readonly ProofRecord[],
  signatures: readonly SignatureRecord[],
): Promise<void> {
  // Sorted by key, so concurrent writers take index locks in one order and cannot deadlock.
  const p = [...spent].sort((a, b) => (a.y < b.y ? -1 : 1))
  const s = [...signatures].sort((a, b) => (a.B_ < b.B_ ? -1 : 1))
  const pc = (pick: (r: ProofRecord) => string | null) => arrayOf(p, pick)
  const sc = (pick: (r: SignatureRecord) => string) => arrayOf(s, pick)
  try {
    await db.execute(sql`with inputs as (
        insert into ${proofs} (y, keyset_id, amount, secret, c, witness, state, operation_id)
        select * from unnest(${pc((r) => r.y)}, ${pc((r) => r.keysetId)}, ${pc((r) => r.amount.toString())}::numeric[],
          ${pc((r) => r.secret)}, ${pc((r) => r.C)}, ${pc((r) => r.witness)}, ${pc((r) => r.state)},
          ${pc((r) => r.operationId)})
        returning 1)
      insert into ${blindSignatures} (b_, keyset_id, amount, c_, dleq_e, dleq_s, operation_id)
      select * from unnest(${sc((r) => r.B_)}, ${sc((r) => r.keysetId)}, ${sc((r) => r.amount.toString())}::numeric[],
        ${sc((r) => r.C_)}, ${sc((r) => r.dleqE)}, ${sc((r) => r.dleqS)}, ${sc((r) => r.operationId)})`)
  } catch (error) {
    const constraint = brokenConstraint(error)
    if (constraint === undefined) throw error
    throw constraint.startsWith('blind_signatures')
      ? new StoreConflictError('signature', 'an output was already signed')
      : new StoreConflictError('proof', 'a proof is already spent or reserved')
  }
}
