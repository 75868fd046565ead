/**
 * A swap's whole write in one statement: its inputs recorded SPENT and its signatures stored, by
 * two inserts in one data-modifying CTE, with what they add to the running totals
 * (ledger-totals.ts): signed and spent per keyset, and the swap's fee (inputs minus outputs) per
 * unit. A statement is atomic on its own, so this needs no transaction around it and costs one round
 * trip instead of four (BEGIN, two inserts, COMMIT). A Y or B_ stored before fails the whole
 * statement on its primary key, which says which it was.
 */
import { type ProofRecord, type SignatureRecord, StoreConflictError } from '@cashu-mint/core/mint'
import { brokenUniqueConstraint, type Db, preparedStatement } from './db.ts'
import { sql } from './drizzle.ts'
import { addToFeeTotals, addToKeysetTotals } from './ledger-totals.ts'
import { PROOF_CONFLICT, proofsInsert, spentOf } from './proof-repository.ts'
import { SIGNATURE_CONFLICT, signaturesInsert, signedOf } from './signature-repository.ts'

const spendStatement = preparedStatement(
  sql`with inputs as (${proofsInsert.statement} returning keyset_id, amount, state),
    outputs as (${signaturesInsert.statement} returning keyset_id, amount),
    moved as (${spentOf(sql`inputs`)} union all ${signedOf(sql`outputs`)}),
    keysets_added as (${addToKeysetTotals(sql`select * from moved`)})
    ${addToFeeTotals(sql`select k.unit, moved.spent - moved.signed as fees
      from moved join keysets k on k.id = moved.keyset_id`)}`,
)

export async function recordSpend(
  db: Db,
  spent: readonly ProofRecord[],
  signatures: readonly SignatureRecord[],
): Promise<void> {
  try {
    await spendStatement(db, { ...proofsInsert.values(spent), ...signaturesInsert.values(signatures) })
  } catch (error) {
    const constraint = brokenUniqueConstraint(error)
    if (constraint === undefined) throw error
    throw constraint.startsWith('blind_signatures')
      ? new StoreConflictError('signature', SIGNATURE_CONFLICT)
      : new StoreConflictError('proof', PROOF_CONFLICT)
  }
}
