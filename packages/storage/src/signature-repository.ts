/** Issued blind signatures with their DLEQ, keyed by B_: signed once, restorable forever (NUT-09). */
import type { SignatureRecord } from '@cashu-mint/core/mint'
import type { SQL } from 'drizzle-orm'
import { type Db, preparedRead, preparedStatement, unnestInsert, writeOrConflict } from './db.ts'
import { sql } from './drizzle.ts'
import { addToKeysetTotals } from './ledger-totals.ts'
import { blindSignatures } from './schema.ts'

interface SignatureRow {
  b_: string
  keyset_id: string
  amount: string
  c_: string
  dleq_e: string
  dleq_s: string
  operation_id: string
}

const fromRow = (row: SignatureRow): SignatureRecord => ({
  B_: row.b_,
  keysetId: row.keyset_id,
  amount: BigInt(row.amount),
  C_: row.c_,
  dleqE: row.dleq_e,
  dleqS: row.dleq_s,
  operationId: row.operation_id,
})

const findSignaturesStatement = preparedRead<SignatureRow>(
  sql`select b_, keyset_id, amount, c_, dleq_e, dleq_s, operation_id from ${blindSignatures}
    where b_ = any(${sql.placeholder('blinded')}::text[])`,
)

export const SIGNATURE_CONFLICT = 'an output was already signed'

/** The insert of signatures (unnestInsert: one statement for any number, sorted by B_). */
export const signaturesInsert = unnestInsert<SignatureRecord>(
  blindSignatures,
  {
    b_: (s) => s.B_,
    keyset_id: (s) => s.keysetId,
    amount: (s) => s.amount.toString(),
    c_: (s) => s.C_,
    dleq_e: (s) => s.dleqE,
    dleq_s: (s) => s.dleqS,
    operation_id: (s) => s.operationId,
  },
  ['amount'],
)

/** The rows of a signatures insert named `rows`, for the totals. */
export const signedOf = (rows: SQL) => sql`select keyset_id, amount as signed, 0 as spent from ${rows}`

const insertSignaturesStatement = preparedStatement(
  sql`with stored as (${signaturesInsert.statement} returning keyset_id, amount)
    ${addToKeysetTotals(signedOf(sql`stored`))}`,
)

export async function insertSignatures(db: Db, records: readonly SignatureRecord[]): Promise<void> {
  if (records.length === 0) return
  await writeOrConflict(
    () => insertSignaturesStatement(db, signaturesInsert.values(records)),
    'signature',
    SIGNATURE_CONFLICT,
  )
}

export async function findSignatures(db: Db, blindedMessages: readonly string[]): Promise<SignatureRecord[]> {
  if (blindedMessages.length === 0) return []
  return (await findSignaturesStatement(db, { blinded: blindedMessages })).map(fromRow)
}
