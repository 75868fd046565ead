/**
 * Finishes melts that were left PENDING (crash, timeout, a payment still in flight): asks the
 * backend for a definite outcome and settles or compensates (settle.ts). Runs at start, on a timer,
 * and when a wallet asks about a pending quote (quote-state.ts). An answer that is not definite
 * changes nothing, and "failed" is believed only once no pay call can still be on its way.
 */
import type { MeltQuoteBolt11Response } from '../../../protocol/schemas/nut05-melt.ts'
import type { MintContext } from '../../context/mint-context.ts'
import { nowSeconds } from '../../ports/clock.ts'
import type { PaymentResult } from '../../ports/payment-backend.ts'
import type { MeltQuoteRecord, MeltSagaRecord } from '../../ports/store.ts'
import { findMeltQuote, toMeltQuoteResponse } from '../../quotes/melt-quotes.ts'
import { settle } from './settle.ts'

async function paymentStatus(ctx: MintContext, quote: MeltQuoteRecord): Promise<PaymentResult> {
  try {
    return await ctx.backends.ofQuote(quote).paymentStatus(quote.paymentHash, quote.amountMsat)
  } catch (error) {
    return { status: 'UNKNOWN', reason: error instanceof Error ? error.message : String(error) }
  }
}

const DEFAULT_GRACE_SECONDS = 30n

/** One PENDING saga with its PENDING quote: settled if the backend knows the outcome. */
export async function recoverSaga(
  ctx: MintContext,
  saga: MeltSagaRecord,
  quote: MeltQuoteRecord,
): Promise<MeltQuoteBolt11Response> {
  if (ctx.paying.has(quote.id)) return toMeltQuoteResponse(quote)
  const result = await paymentStatus(ctx, quote)
  const grace = BigInt(ctx.settings.failedPaymentGraceSeconds ?? DEFAULT_GRACE_SECONDS)
  // A success is safe to apply at once; a failure only once no pay call can still be on its way.
  if (result.status === 'FAILED' && nowSeconds(ctx.clock) - saga.createdAt < grace)
    return toMeltQuoteResponse(quote)
  return settle(ctx, saga, quote, result, false)
}

export interface RecoveryReport {
  checked: number
  stillPending: number
}

export async function recoverPendingMelts(ctx: MintContext): Promise<RecoveryReport> {
  const sagas = await ctx.store.listUnfinishedMeltSagas()
  let stillPending = 0
  for (const saga of sagas) {
    const result = await recoverSaga(ctx, saga, await findMeltQuote(ctx, saga.quoteId))
    if (result.state === 'PENDING') stillPending++
  }
  return { checked: sagas.length, stillPending }
}
