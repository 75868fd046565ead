/**
 * NUT-04/23: mint quotes. A quote is an invoice the wallet pays; once paid, its amount can be
 * minted once. Payment is learned from the backend's settlement stream and, so nothing is missed
 * when the stream drops, by asking the backend whenever a wallet looks at an unpaid quote.
 * UNPAID -> PAID happens in a conditional update, so a settlement is credited exactly once.
 */
import { ErrorCode, MintError } from '../../protocol/errors.ts'
import type {
  MintQuoteBolt11Response,
  PostMintQuoteBolt11Request,
} from '../../protocol/schemas/nut04-mint.ts'
import { assertPoint } from '../checks/verification.ts'
import type { MintContext } from '../context/mint-context.ts'
import type { UnitSettings } from '../context/settings.ts'
import { nowSeconds } from '../ports/clock.ts'
import type { InvoiceStatus } from '../ports/payment-backend.ts'
import type { MintQuoteRecord } from '../ports/store.ts'
import { newId } from '../primitives/ids.ts'
import { assertPayableMsat, formatRate, rateOf, toMsatCeil } from '../primitives/prices.ts'

export function toMintQuoteResponse(quote: MintQuoteRecord): MintQuoteBolt11Response {
  return {
    quote: quote.id,
    request: quote.request,
    amount: quote.amount,
    unit: quote.unit,
    method: quote.method,
    state: quote.state,
    expiry: quote.expiry,
    ...(quote.pubkey ? { pubkey: quote.pubkey } : {}),
  }
}

export function assertAmountInRange(
  amount: bigint,
  limits: { minAmount?: bigint | undefined; maxAmount?: bigint | undefined },
) {
  if (
    (limits.minAmount !== undefined && amount < limits.minAmount) ||
    (limits.maxAmount !== undefined && amount > limits.maxAmount)
  ) {
    throw new MintError(
      ErrorCode.AMOUNT_OUT_OF_LIMIT_RANGE,
      `amount must be between ${limits.minAmount ?? 0} and ${limits.maxAmount ?? 'unlimited'}`,
    )
  }
}

/** The operator's settings for a unit, or 11013 for a unit this mint does not quote in. */
export function unitSettings(ctx: MintContext, unit: string): UnitSettings {
  // Own properties only: a unit named like an Object.prototype member is not configured.
  const settings = Object.hasOwn(ctx.settings.units, unit) ? ctx.settings.units[unit] : undefined
  if (!settings) throw new MintError(ErrorCode.UNIT_UNSUPPORTED, `unit ${unit} is not supported`)
  return settings
}

export async function createMintQuote(
  ctx: MintContext,
  method: string,
  request: PostMintQuoteBolt11Request,
): Promise<MintQuoteBolt11Response> {
  const unit = unitSettings(ctx, request.unit)
  if (!unit.mint.enabled)
    throw new MintError(ErrorCode.MINTING_DISABLED, `minting ${request.unit} is disabled`)
  if (ctx.ring.active(request.unit).length === 0) {
    throw new MintError(ErrorCode.UNIT_UNSUPPORTED, `unit ${request.unit} has no active keyset`)
  }
  assertAmountInRange(request.amount, unit.mint)
  if (request.pubkey !== undefined) assertPoint(ctx.curve, request.pubkey, 'pubkey')
  const rate = await rateOf(request.unit, ctx.rates)
  const backend = ctx.backends.for(method, request.unit)
  if (
    request.description !== undefined &&
    !(unit.mint.descriptionAllowed && backend.capabilities.description)
  ) {
    throw new MintError(
      ErrorCode.MALFORMED_REQUEST,
      'description: this mint does not accept descriptions on mint quotes',
    )
  }
  const amountMsat = toMsatCeil(request.amount, rate)
  assertPayableMsat(amountMsat, 'amount')
  const invoice = await backend.createInvoice({
    amountMsat,
    expirySeconds: ctx.settings.mintQuoteTtlSeconds,
    ...(request.description === undefined ? {} : { description: request.description }),
  })
  const quote: MintQuoteRecord = {
    id: newId(ctx.clock.nowMs()),
    method,
    backend: backend.name,
    unit: request.unit,
    amount: request.amount,
    request: invoice.request,
    paymentHash: invoice.paymentHash,
    state: 'UNPAID',
    expiry: invoice.expiry,
    pubkey: request.pubkey ?? null,
    description: request.description ?? null,
    amountMsat: invoice.amountMsat ?? amountMsat,
    rate: formatRate(rate),
    createdAt: nowSeconds(ctx.clock),
    paidAt: null,
    issuedAt: null,
  }
  await ctx.store.insertMintQuote(quote)
  return toMintQuoteResponse(quote)
}

/**
 * Marks the quote of a settled invoice PAID, once. Called from the settlement stream, from status
 * checks, and for internal melts (in their transaction). Returns the quote as it now is.
 */
export async function creditMintQuote(
  ctx: MintContext,
  paymentHash: string,
  amountPaidMsat: bigint,
): Promise<MintQuoteRecord | undefined> {
  const credited = await ctx.store.transaction(async (tx) => {
    const found = await tx.getMintQuoteByPaymentHash(paymentHash)
    if (!found) return undefined
    const quote = await tx.getMintQuote(found.id, true)
    if (quote?.state !== 'UNPAID') return undefined
    if (quote.amountMsat === null || amountPaidMsat < quote.amountMsat) return undefined
    const paidAt = nowSeconds(ctx.clock)
    await tx.updateMintQuote(quote.id, { state: 'PAID', paidAt })
    return { ...quote, state: 'PAID' as const, paidAt }
  })
  if (credited) ctx.emit({ kind: 'mint_quote', quote: credited })
  return credited
}

/** The backend's view of an unpaid quote's invoice; undefined when it cannot say now. */
async function backendStatus(ctx: MintContext, quote: MintQuoteRecord): Promise<InvoiceStatus | undefined> {
  try {
    return await ctx.backends.ofQuote(quote).invoiceStatus(quote.paymentHash)
  } catch {
    return undefined
  }
}

/**
 * A quote of `method` by id (any method without it), after asking its backend if an unpaid one has
 * been paid meanwhile.
 */
export async function refreshMintQuote(
  ctx: MintContext,
  id: string,
  method?: string,
): Promise<MintQuoteRecord> {
  const quote = await ctx.store.getMintQuote(id)
  if (!quote || (method !== undefined && quote.method !== method))
    throw new MintError(
      ErrorCode.MALFORMED_REQUEST,
      `quote: ${method ? `${method} ` : ''}mint quote ${id} not found`,
    )
  if (quote.state !== 'UNPAID') return quote
  // The backend being unreachable is no reason to fail a status query: the stored state stands.
  const status = await backendStatus(ctx, quote)
  if (status?.state !== 'PAID') return quote
  return (
    (await creditMintQuote(ctx, quote.paymentHash, status.amountPaidMsat)) ??
    ((await ctx.store.getMintQuote(id)) as MintQuoteRecord)
  )
}
