/** Issued blind signatures with their DLEQ, keyed by B_: signed once, restorable forever (NUT-09). */
import { type SignatureRecord, StoreConflictError } from '@cashu-mint/core/mint'
import { inArray } from 'drizzle-orm'
import { type Db, uniqueViolation } from './db.ts'
import { blindSignatures } from './schema.ts'

const toRow = ({ B_, C_, ...rest }: SignatureRecord) => ({ ...rest, b: B_, c: C_ })
const fromRow = ({ b, c, ...rest }: typeof blindSignatures.$inferSelect): SignatureRecord => ({
  ...rest,
  B_: b,
  C_: c,
})

export async function insertSignatures(db: Db, records: readonly SignatureRecord[]): Promise<void> {
  if (records.length === 0) return
  const rows = [...records].sort((a, b) => (a.B_ < b.B_ ? -1 : 1)).map(toRow)
  try {
    await db.insert(blindSignatures).values(rows)
  } catch (error) {
    if (uniqueViolation(error) !== undefined)
      throw new StoreConflictError('signature', 'an output was already signed')
    throw error
  }
}

export async function findSignatures(db: Db, blindedMessages: readonly string[]): Promise<SignatureRecord[]> {
  if (blindedMessages.length === 0) return []
  return (
    await db
      .select()
      .from(blindSignatures)
      .where(inArray(blindSignatures.b, [...blindedMessages]))
  ).map(fromRow)
}
