/** Issued blind signatures with their DLEQ, keyed by B_: signed once, restorable forever (NUT-09). */
import type { SignatureRecord } from '@cashu-mint/core/mint'
import { anyOf, type Db, preparedStatement, type StatementValues, textArray, writeOrConflict } from './db.ts'
import { sql } from './drizzle.ts'
import { blindSignatures } from './schema.ts'

const fromRow = ({ b, c, ...rest }: typeof blindSignatures.$inferSelect): SignatureRecord => ({
  ...rest,
  B_: b,
  C_: c,
})

export const SIGNATURE_CONFLICT = 'an output was already signed'

/** The insert of signatures; as for proofs, one statement for any number of rows. */
export const SIGNATURES_INSERT = sql`insert into ${blindSignatures} (b_, keyset_id, amount, c_, dleq_e, dleq_s, operation_id)
  select * from unnest(${textArray('signature_b')}, ${textArray('signature_keyset_id')},
    ${textArray('signature_amount')}::numeric[], ${textArray('signature_c')},
    ${textArray('signature_dleq_e')}, ${textArray('signature_dleq_s')}, ${textArray('signature_operation_id')})`

/** SIGNATURES_INSERT's values, sorted by B_ (one lock order, as for proofs). */
export function signatureValues(records: readonly SignatureRecord[]): StatementValues {
  const rows = [...records].sort((a, b) => (a.B_ < b.B_ ? -1 : 1))
  return {
    signature_b: rows.map((s) => s.B_),
    signature_keyset_id: rows.map((s) => s.keysetId),
    signature_amount: rows.map((s) => s.amount.toString()),
    signature_c: rows.map((s) => s.C_),
    signature_dleq_e: rows.map((s) => s.dleqE),
    signature_dleq_s: rows.map((s) => s.dleqS),
    signature_operation_id: rows.map((s) => s.operationId),
  }
}

const insertSignaturesStatement = preparedStatement(SIGNATURES_INSERT)

export async function insertSignatures(db: Db, records: readonly SignatureRecord[]): Promise<void> {
  if (records.length === 0) return
  await writeOrConflict(
    () => insertSignaturesStatement(db, signatureValues(records)),
    'signature',
    SIGNATURE_CONFLICT,
  )
}

export async function findSignatures(db: Db, blindedMessages: readonly string[]): Promise<SignatureRecord[]> {
  if (blindedMessages.length === 0) return []
  return (await db.select().from(blindSignatures).where(anyOf(blindSignatures.b, blindedMessages))).map(
    fromRow,
  )
}
