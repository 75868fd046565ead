/** Issued blind signatures with their DLEQ, keyed by B_: signed once, restorable forever (NUT-09). */
import type { SignatureRecord } from '@cashu-mint/core/mint'
import type { SQL } from 'drizzle-orm'
import { anyOf, arrayOf, type Db, writeOrConflict } from './db.ts'
import { sql } from './drizzle.ts'
import { blindSignatures } from './schema.ts'

const fromRow = ({ b, c, ...rest }: typeof blindSignatures.$inferSelect): SignatureRecord => ({
  ...rest,
  B_: b,
  C_: c,
})

export const SIGNATURE_CONFLICT = 'an output was already signed'

/** The insert of `records`, sorted by B_; as for proofs, one statement shape for any number of rows. */
export function signaturesInsert(records: readonly SignatureRecord[]): SQL {
  const rows = [...records].sort((a, b) => (a.B_ < b.B_ ? -1 : 1))
  const column = (pick: (s: SignatureRecord) => string) => arrayOf(rows, pick)
  return sql`insert into ${blindSignatures} (b_, keyset_id, amount, c_, dleq_e, dleq_s, operation_id)
    select * from unnest(${column((s) => s.B_)}, ${column((s) => s.keysetId)},
      ${column((s) => s.amount.toString())}::numeric[], ${column((s) => s.C_)},
      ${column((s) => s.dleqE)}, ${column((s) => s.dleqS)}, ${column((s) => s.operationId)})`
}

export async function insertSignatures(db: Db, records: readonly SignatureRecord[]): Promise<void> {
  if (records.length === 0) return
  await writeOrConflict(() => db.execute(signaturesInsert(records)), 'signature', SIGNATURE_CONFLICT)
}

export async function findSignatures(db: Db, blindedMessages: readonly string[]): Promise<SignatureRecord[]> {
  if (blindedMessages.length === 0) return []
  return (await db.select().from(blindSignatures).where(anyOf(blindSignatures.b, blindedMessages))).map(
    fromRow,
  )
}
