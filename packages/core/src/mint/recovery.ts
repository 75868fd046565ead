/**
 * Finishes melts that were left PENDING (crash, timeout, a payment still in flight): asks the
 * backend for a definite outcome and settles or compensates. Runs at start, on a timer, and when a
 * wallet asks about a pending quote. An answer that is not definite changes nothing.
 */
import type { MeltQuoteBolt11Response } from '../protocol/schemas/nut05-melt.ts'
import type { MintContext } from './context.ts'
import { meltQuoteWithChange, settle } from './melt.ts'
import { toMeltQuoteResponse } from './melt-quotes.ts'
import { type MeltSagaRecord, nowSeconds, type PaymentResult } from './ports.ts'

async function paymentStatus(ctx: MintContext, paymentHash: string): Promise<PaymentResult> {
  try {
    return await ctx.lightning.paymentStatus(paymentHash)
  } catch (error) {
    return { status: 'UNKNOWN', reason: error instanceof Error ? error.message : String(error) }
  }
}

const DEFAULT_GRACE_SECONDS = 30n

async function recoverSaga(ctx: MintContext, saga: MeltSagaRecord): Promise<MeltQuoteBolt11Response> {
  const quote = await ctx.store.getMeltQuote(saga.quoteId)
  if (!quote) throw new Error(`melt saga ${saga.id} has no quote ${saga.quoteId}`)
  if (ctx.paying.has(quote.id)) return toMeltQuoteResponse(quote)
  const result = await paymentStatus(ctx, quote.paymentHash)
  const grace = BigInt(ctx.settings.failedPaymentGraceSeconds ?? DEFAULT_GRACE_SECONDS)
  // A success is safe to apply at once; a failure only once no pay call can still be on its way.
  if (result.status === 'FAILED' && nowSeconds(ctx.clock) - saga.createdAt < grace)
    return toMeltQuoteResponse(quote)
  return settle(ctx, saga, result, false)
}

export interface RecoveryReport {
  checked: number
  stillPending: number
}

export async function recoverPendingMelts(ctx: MintContext): Promise<RecoveryReport> {
  const sagas = await ctx.store.listUnfinishedMeltSagas()
  let stillPending = 0
  for (const saga of sagas) {
    const result = await recoverSaga(ctx, saga)
    if (result.state === 'PENDING') stillPending++
  }
  return { checked: sagas.length, stillPending }
}

/** NUT-05 GET: a pending quote is checked against the backend before it is returned. */
export async function checkMeltQuote(ctx: MintContext, id: string): Promise<MeltQuoteBolt11Response> {
  const current = await meltQuoteWithChange(ctx, id)
  if (current.state !== 'PENDING') return current
  const saga = await ctx.store.findMeltSaga(id)
  if (saga?.state !== 'PENDING') return current
  const result = await recoverSaga(ctx, saga)
  return result.state === 'PAID' ? meltQuoteWithChange(ctx, id) : result
}
