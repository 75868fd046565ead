/**
 * Mint and melt quotes. A payment hash credits one mint quote (unique index); at most one melt
 * quote per payment hash may be PENDING or PAID (partial unique index), so one invoice is never
 * paid twice by two quotes.
 */
import type { MeltQuoteRecord, MintQuoteRecord } from '@cashu-mint/core/mint'
import { type Db, writeOrConflict } from './db.ts'
import { and, desc, eq } from './drizzle.ts'
import { meltQuotes, mintQuotes } from './schema.ts'

export async function insertMintQuote(db: Db, quote: MintQuoteRecord): Promise<void> {
  await writeOrConflict(
    () => db.insert(mintQuotes).values(quote),
    'mint-quote-payment',
    'a mint quote for this payment exists',
  )
}

export async function getMintQuote(
  db: Db,
  id: string,
  forUpdate = false,
): Promise<MintQuoteRecord | undefined> {
  const query = db.select().from(mintQuotes).where(eq(mintQuotes.id, id))
  const [row] = forUpdate ? await query.for('update') : await query
  return row
}

export async function getMintQuoteByPaymentHash(
  db: Db,
  paymentHash: string,
): Promise<MintQuoteRecord | undefined> {
  const [row] = await db.select().from(mintQuotes).where(eq(mintQuotes.paymentHash, paymentHash))
  return row
}

export async function updateMintQuote(
  db: Db,
  id: string,
  changes: Partial<Pick<MintQuoteRecord, 'state' | 'paidAt' | 'issuedAt'>>,
): Promise<void> {
  await db.update(mintQuotes).set(changes).where(eq(mintQuotes.id, id))
}

export async function listMintQuotes(
  db: Db,
  filter: { state?: MintQuoteRecord['state']; limit?: number },
): Promise<MintQuoteRecord[]> {
  const query = db.select().from(mintQuotes)
  const filtered = filter.state ? query.where(eq(mintQuotes.state, filter.state)) : query
  return filtered.orderBy(desc(mintQuotes.createdAt)).limit(filter.limit ?? 100)
}

export async function insertMeltQuote(db: Db, quote: MeltQuoteRecord): Promise<void> {
  await db.insert(meltQuotes).values(quote)
}

export async function getMeltQuote(db: Db, id: string): Promise<MeltQuoteRecord | undefined> {
  const [row] = await db.select().from(meltQuotes).where(eq(meltQuotes.id, id))
  return row
}

/** A conditional update: the row lock and the state check in one statement. */
export async function updateMeltQuote(
  db: Db,
  id: string,
  changes: Partial<Pick<MeltQuoteRecord, 'state' | 'preimage' | 'feePaid'>>,
  from?: MeltQuoteRecord['state'],
): Promise<boolean> {
  const where =
    from === undefined ? eq(meltQuotes.id, id) : and(eq(meltQuotes.id, id), eq(meltQuotes.state, from))
  let updated = 0
  await writeOrConflict(
    async () => {
      updated = (await db.update(meltQuotes).set(changes).where(where).returning({ id: meltQuotes.id }))
        .length
    },
    'melt-payment',
    'another melt of this invoice is pending or paid',
  )
  return updated > 0
}
