/**
 * The service provider's books, kept beside the mint's own records (quotes, proofs, signatures):
 * what the operator credited without Lightning (issuances, with their reference), what the service
 * was paid in ecash (receipts) and what it gave back (refunds). A receipt's fee also goes into the
 * running totals the reports read (ledger-totals.ts).
 */
import type { HoldRecord, IssuanceRecord, ReceiptRecord, RefundRecord } from '@cashu-mint/core/mint'
import { type Db, writeOrConflict } from './db.ts'
import { and, asc, desc, eq, isNull, lt, sql } from './drizzle.ts'
import { addToFeeTotals } from './ledger-totals.ts'
import { holds, issuances, receipts, refunds } from './schema.ts'

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

/** A receipt, and its fee added to the running totals (ledger-totals.ts). */
export async function insertReceipt(db: Db, receipt: ReceiptRecord): Promise<void> {
  const stored = db.insert(receipts).values(receipt).returning({ unit: receipts.unit, fee: receipts.fee })
  await writeOrConflict(
    () =>
      db.execute(
        sql`with stored as (${stored.getSQL()}) ${addToFeeTotals(sql`select unit, fee as fees from stored`)}`,
      ),
    'receipt',
    'this token was already redeemed',
  )
}

export async function findReceipt(
  db: Db,
  by: { tokenHash: string } | { id: string },
): Promise<ReceiptRecord | undefined> {
  const where = 'id' in by ? eq(receipts.id, by.id) : eq(receipts.tokenHash, by.tokenHash)
  const [row] = await db.select().from(receipts).where(where)
  return row
}

export async function insertRefund(db: Db, refund: RefundRecord): Promise<void> {
  await writeOrConflict(
    () => db.insert(refunds).values(refund),
    'refund',
    'this receipt was already refunded',
  )
}

export async function findRefund(db: Db, receiptId: string): Promise<RefundRecord | undefined> {
  const [row] = await db.select().from(refunds).where(eq(refunds.receiptId, receiptId))
  return row
}

export async function insertHold(db: Db, hold: HoldRecord): Promise<void> {
  await db.insert(holds).values(hold)
}

export async function getHold(db: Db, receiptId: string): Promise<HoldRecord | undefined> {
  const [row] = await db.select().from(holds).where(eq(holds.receiptId, receiptId))
  return row
}

export async function listExpiredHolds(db: Db, now: bigint, limit: number): Promise<HoldRecord[]> {
  return db
    .select({ receiptId: holds.receiptId, expiresAt: holds.expiresAt, onExpiry: holds.onExpiry })
    .from(holds)
    .leftJoin(refunds, eq(refunds.receiptId, holds.receiptId))
    .where(and(lt(holds.expiresAt, now), isNull(refunds.id)))
    .orderBy(asc(holds.expiresAt))
    .limit(limit)
}
