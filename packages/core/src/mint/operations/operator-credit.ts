/**
 * Operator credit (`cashu-mint issue`): the provider credits a user who paid some other way (card,
 * BTCPay, a voucher). It creates a mint quote that is already PAID, with no invoice, and records
 * the issuance with the operator's reference in the same transaction. The user mints it through the
 * ordinary NUT-04 flow with any wallet; a NUT-20 pubkey locks it to that user's key.
 */
import { randomHex } from '../../crypto/bytes.ts'
import { ErrorCode, MintError } from '../../protocol/errors.ts'
import type { MintQuoteBolt11Response } from '../../protocol/schemas/nut04-mint.ts'
import { assertPoint } from '../checks/verification.ts'
import type { MintContext } from '../context/mint-context.ts'
import { nowSeconds } from '../ports/clock.ts'
import type { IssuanceRecord, MintQuoteRecord } from '../ports/store.ts'
import { newId } from '../primitives/ids.ts'
import { toMintQuoteResponse } from '../quotes/mint-quotes.ts'

export interface CreditRequest {
  amount: bigint
  unit: string
  /** Why: an order number, a voucher code… Required, so every issuance can be accounted for. */
  reference: string
  /** NUT-20: only the holder of this key can mint the quote. */
  pubkey?: string | undefined
  /** How long the user has to mint it. Default 30 days. */
  ttlSeconds?: number | undefined
}

export async function credit(
  ctx: MintContext,
  request: CreditRequest,
): Promise<{ quote: MintQuoteBolt11Response; issuance: IssuanceRecord }> {
  if (request.amount <= 0n) throw new MintError(ErrorCode.MALFORMED_REQUEST, 'amount: must be positive')
  if (request.reference.trim() === '')
    throw new MintError(ErrorCode.MALFORMED_REQUEST, 'reference: an issuance needs a reference')
  if (ctx.ring.active(request.unit).length === 0)
    throw new MintError(ErrorCode.UNIT_UNSUPPORTED, `unit ${request.unit} has no active keyset`)
  if (request.pubkey !== undefined) assertPoint(ctx.curve, request.pubkey, 'pubkey')
  const now = nowSeconds(ctx.clock)
  const quote: MintQuoteRecord = {
    id: newId(ctx.clock.nowMs()),
    // Minted through NUT-04 like any quote; no backend made an invoice for it.
    method: 'bolt11',
    backend: null,
    unit: request.unit,
    amount: request.amount,
    request: '',
    // No invoice: a random hash keeps the one-quote-per-payment constraint meaningful.
    paymentHash: randomHex(32),
    state: 'PAID',
    expiry: now + BigInt(request.ttlSeconds ?? 30 * 86_400),
    pubkey: request.pubkey ?? null,
    description: null,
    amountMsat: null,
    rate: null,
    createdAt: now,
    paidAt: now,
    issuedAt: null,
  }
  const issuance: IssuanceRecord = {
    quoteId: quote.id,
    amount: request.amount,
    unit: request.unit,
    reference: request.reference,
    createdAt: now,
  }
  await ctx.store.transaction(async (tx) => {
    await tx.insertMintQuote(quote)
    await tx.insertIssuance(issuance)
  })
  ctx.emit({ kind: 'mint_quote', quote })
  return { quote: toMintQuoteResponse(quote), issuance }
}
