/** Operator issuances and redemption receipts: the provider's own books next to the mint's. */
import type { IssuanceRecord, ReceiptRecord } from '@cashu-mint/core/mint'
import { desc, eq } from 'drizzle-orm'
import { type Db, writeOrConflict } from './db.ts'
import { issuances, receipts } from './schema.ts'

export async function insertIssuance(db: Db, issuance: IssuanceRecord): Promise<void> {
  await db.insert(issuances).values(issuance)
}

export async function listIssuances(db: Db, filter: { limit?: number }): Promise<IssuanceRecord[]> {
  return db
    .select()
    .from(issuances)
    .orderBy(desc(issuances.createdAt))
    .limit(filter.limit ?? 100)
}

export async function insertReceipt(db: Db, receipt: ReceiptRecord): Promise<void> {
  await writeOrConflict(
    () => db.insert(receipts).values(receipt),
    'receipt',
    'this token was already redeemed',
  )
}

export async function findReceipt(db: Db, tokenHash: string): Promise<ReceiptRecord | undefined> {
  const [row] = await db.select().from(receipts).where(eq(receipts.tokenHash, tokenHash))
  return row && { ...row, changeSecrets: row.changeSecrets ?? null }
}
