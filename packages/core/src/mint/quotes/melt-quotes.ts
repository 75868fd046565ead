/**
 * NUT-05/23 melt quotes (with NUT-15 partial amounts): what paying an invoice costs. The fee
 * reserve is max(amount * percent, minimum); an invoice of one of this mint's own mint quotes is
 * settled internally, without Lightning and with no fee. A quote refuses invoices for another
 * network, expired invoices (unless the backend is the FakeWallet), and invoices this mint already
 * paid.
 */
import { Bolt11AmountError, type Bolt11Invoice, decodeBolt11 } from '../../lightning/bolt11.ts'
import { ErrorCode, MintError } from '../../protocol/errors.ts'
import type {
  MeltQuoteBolt11Response,
  PostMeltQuoteBolt11Request,
} from '../../protocol/schemas/nut05-melt.ts'
import type { MintContext } from '../context/mint-context.ts'
import { nowSeconds } from '../ports/clock.ts'
import type { PaymentBackend } from '../ports/payment-backend.ts'
import type { MeltQuoteRecord } from '../ports/store.ts'
import { newId } from '../primitives/ids.ts'
import { assertPayableMsat, formatRate, fromMsatCeil, type Rate, rateOf } from '../primitives/prices.ts'
import { assertAmountInRange, unitSettings } from './mint-quotes.ts'

/** A melt quote of `method` (any without it) by id, or the NUT error for one this mint does not have. */
export async function findMeltQuote(ctx: MintContext, id: string, method?: string): Promise<MeltQuoteRecord> {
  const quote = await ctx.store.getMeltQuote(id)
  if (!quote || (method !== undefined && quote.method !== method))
    throw new MintError(
      ErrorCode.MALFORMED_REQUEST,
      `quote: ${method ? `${method} ` : ''}melt quote ${id} not found`,
    )
  return quote
}

/** Whether a melt may start on the quote: unpaid, not being paid, not expired. */
export function assertMeltable(quote: MeltQuoteRecord, now: bigint): void {
  if (quote.state === 'PENDING') throw new MintError(ErrorCode.QUOTE_PENDING, 'melt quote is pending')
  if (quote.state === 'PAID')
    throw new MintError(ErrorCode.INVOICE_ALREADY_PAID, 'melt quote is already paid')
  if (quote.expiry <= now) throw new MintError(ErrorCode.QUOTE_EXPIRED, 'melt quote has expired')
}

export function toMeltQuoteResponse(
  quote: MeltQuoteRecord,
  change?: MeltQuoteBolt11Response['change'],
): MeltQuoteBolt11Response {
  return {
    quote: quote.id,
    request: quote.request,
    amount: quote.amount,
    unit: quote.unit,
    method: quote.method,
    fee_reserve: quote.feeReserve,
    state: quote.state,
    expiry: quote.expiry,
    payment_preimage: quote.preimage,
    ...(change && change.length > 0 ? { change } : {}),
  }
}

function decodeInvoice(request: string): Bolt11Invoice {
  try {
    return decodeBolt11(request)
  } catch (error) {
    if (error instanceof Bolt11AmountError)
      throw new MintError(ErrorCode.AMOUNT_OUT_OF_LIMIT_RANGE, `request: ${error.message}`)
    throw new MintError(
      ErrorCode.MALFORMED_REQUEST,
      `request: invalid bolt11 invoice: ${(error as Error).message}`,
    )
  }
}

/** The msat to send: the invoice amount, a NUT-15 part of it, or the NUT-23 amount for an amountless invoice. */
function paymentAmountMsat(invoice: Bolt11Invoice, options: PostMeltQuoteBolt11Request['options']): bigint {
  const mpp = options?.mpp?.amount
  const amountless = options?.amountless?.amount_msat
  if (invoice.amountMsat === undefined) {
    if (amountless === undefined) {
      throw new MintError(
        ErrorCode.AMOUNTLESS_INVOICE_UNSUPPORTED,
        'amountless invoices need options.amountless',
      )
    }
    return amountless
  }
  if (amountless !== undefined && amountless !== invoice.amountMsat) {
    throw new MintError(ErrorCode.AMOUNT_MISMATCH, 'amountless.amount_msat does not match the invoice')
  }
  if (mpp !== undefined) {
    if (mpp > invoice.amountMsat)
      throw new MintError(ErrorCode.AMOUNT_MISMATCH, 'mpp amount exceeds the invoice amount')
    return mpp
  }
  return invoice.amountMsat
}

/** What the backend must be able to do for the options a wallet asked for (NUT-15, NUT-23). */
function assertCapable(backend: PaymentBackend, options: PostMeltQuoteBolt11Request['options']): void {
  if (options?.mpp && !backend.capabilities.mpp)
    throw new MintError(
      ErrorCode.MALFORMED_REQUEST,
      'options.mpp: this mint does not pay part of an invoice here',
    )
  if (options?.amountless && !backend.capabilities.amountless)
    throw new MintError(
      ErrorCode.AMOUNTLESS_INVOICE_UNSUPPORTED,
      'amountless invoices are not supported here',
    )
}

export async function createMeltQuote(
  ctx: MintContext,
  method: string,
  request: PostMeltQuoteBolt11Request,
): Promise<MeltQuoteBolt11Response> {
  const unit = unitSettings(ctx, request.unit)
  if (!unit.melt.enabled)
    throw new MintError(ErrorCode.UNIT_UNSUPPORTED, `melting ${request.unit} is disabled`)
  const backend = ctx.backends.for(method, request.unit)
  const invoice = decodeInvoice(request.request)
  if (invoice.network !== backend.network) {
    throw new MintError(
      ErrorCode.MALFORMED_REQUEST,
      `request: invoice is for ${invoice.network}, this mint pays on ${backend.network}`,
    )
  }
  const now = nowSeconds(ctx.clock)
  if (invoice.timestamp + invoice.expirySeconds <= now && !backend.paysExpiredInvoices)
    throw new MintError(ErrorCode.MALFORMED_REQUEST, 'request: invoice has expired')
  const amountMsat = paymentAmountMsat(invoice, request.options)
  assertCapable(backend, request.options)
  assertPayableMsat(amountMsat, 'request')
  const rate = await rateOf(request.unit, ctx.rates)
  const amount = fromMsatCeil(amountMsat, rate)
  assertAmountInRange(amount, unit.melt)
  const internal = await ctx.store.getMintQuoteByPaymentHash(invoice.paymentHash)
  if (internal) {
    if (internal.unit !== request.unit)
      throw new MintError(ErrorCode.INPUT_OUTPUT_UNIT_MISMATCH, 'internal invoice is in another unit')
    if (internal.state !== 'UNPAID')
      throw new MintError(ErrorCode.INVOICE_ALREADY_PAID, 'invoice is already paid')
    if (request.options?.mpp)
      throw new MintError(
        ErrorCode.MALFORMED_REQUEST,
        'options.mpp: partial payments of this mint’s own invoices are not supported',
      )
  }
  const id = newId(ctx.clock.nowMs())
  const feeReserve = internal
    ? 0n
    : await estimateFeeReserve(ctx, backend, rate, amount, {
        invoice: request.request,
        amountMsat,
        quoteId: id,
      })
  const quote: MeltQuoteRecord = {
    id,
    method,
    backend: internal ? null : backend.name,
    unit: request.unit,
    request: request.request,
    paymentHash: invoice.paymentHash,
    amount,
    feeReserve,
    amountMsat,
    rate: formatRate(rate),
    state: 'UNPAID',
    expiry: now + BigInt(ctx.settings.meltQuoteTtlSeconds),
    preimage: null,
    feePaid: null,
    internalMintQuoteId: internal?.id ?? null,
    createdAt: now,
  }
  await ctx.store.insertMeltQuote(quote)
  return toMeltQuoteResponse(quote)
}

async function estimateFeeReserve(
  ctx: MintContext,
  backend: PaymentBackend,
  rate: Rate,
  amount: bigint,
  payment: { invoice: string; amountMsat: bigint; quoteId: string },
): Promise<bigint> {
  const { percent, min } = ctx.settings.feeReserve
  const byPercent = (amount * BigInt(Math.round(percent * 1000)) + 99_999n) / 100_000n
  const estimate = await backend
    .estimateFee(payment)
    .then((quote) => fromMsatCeil(quote.feeEstimateMsat, rate))
    .catch(() => 0n)
  return [byPercent, min, estimate].reduce((a, b) => (a > b ? a : b))
}
