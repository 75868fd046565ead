/**
 * NUT-05/08: the end of a melt saga (melt.ts). A payment's outcome is applied to the PENDING quote
 * the caller already holds: each write changes the quote only from PENDING (a conditional update,
 * which takes its row lock), so when a request and recovery race on one melt, one settles it and
 * the other answers what the first wrote. The mint paying its own invoice settles here too, in one
 * transaction.
 */
import { ErrorCode, MintError } from '../../../protocol/errors.ts'
import type { BlindedMessage } from '../../../protocol/schemas/nut00.ts'
import type { MeltQuoteBolt11Response } from '../../../protocol/schemas/nut05-melt.ts'
import { explainConflict } from '../../checks/conflicts.ts'
import type { MintContext } from '../../context/mint-context.ts'
import { signOutputs, storedSignatures, toBlindSignature } from '../../keysets/signatures.ts'
import { nowSeconds } from '../../ports/clock.ts'
import type { PaymentResult } from '../../ports/payment-backend.ts'
import type {
  MeltQuoteRecord,
  MeltSagaRecord,
  MintQuoteRecord,
  ProofRecord,
  SignatureRecord,
} from '../../ports/store.ts'
import { assignChange } from '../../primitives/change.ts'
import { fromMsatCeil, parseRate } from '../../primitives/prices.ts'
import { assertMeltable, findMeltQuote, toMeltQuoteResponse } from '../../quotes/melt-quotes.ts'

/**
 * Applies a payment outcome to a PENDING saga and its quote. `throwOnFailure` turns a definite
 * failure into the NUT-05 error for the wallet that is waiting on it; recovery only compensates.
 */
export async function settle(
  ctx: MintContext,
  saga: MeltSagaRecord,
  quote: MeltQuoteRecord,
  result: PaymentResult,
  throwOnFailure: boolean,
): Promise<MeltQuoteBolt11Response> {
  if (result.status === 'PAID')
    return finish(ctx, saga, quote, result.preimage, fromMsatCeil(result.feeMsat, parseRate(quote.rate)))
  if (result.status === 'FAILED') {
    await compensate(ctx, saga, quote)
    if (throwOnFailure)
      throw new MintError(ErrorCode.LIGHTNING_PAYMENT_FAILED, `payment failed: ${result.reason}`)
    return toMeltQuoteResponse({ ...quote, state: 'UNPAID' })
  }
  return toMeltQuoteResponse(quote)
}

async function finish(
  ctx: MintContext,
  saga: MeltSagaRecord,
  quote: MeltQuoteRecord,
  preimage: string | null,
  lightningFee: bigint,
): Promise<MeltQuoteBolt11Response> {
  // A backend that overran the fee limit costs the mint, never the wallet.
  const feePaid = lightningFee < quote.feeReserve ? lightningFee : quote.feeReserve
  const change = assignChange(
    saga.outputs as BlindedMessage[],
    saga.inputAmount - saga.inputFee - quote.amount - feePaid,
  )
  const signatures = await signOutputs(ctx.signer, change, saga.id)
  const paid: MeltQuoteRecord = { ...quote, state: 'PAID', preimage, feePaid }
  const done = await ctx.store.transaction(async (tx) => {
    if (!(await tx.updateMeltQuote(quote.id, { state: 'PAID', preimage, feePaid }, 'PENDING'))) return false
    await tx.markProofsSpent(saga.inputYs, saga.id)
    await tx.insertSignatures(signatures)
    await tx.updateMeltSaga(saga.id, 'PAID', nowSeconds(ctx.clock))
    return true
  })
  if (!done) return meltQuoteWithChange(ctx, await findMeltQuote(ctx, quote.id))
  ctx.emit({ kind: 'proof_state', ys: saga.inputYs, state: 'SPENT' })
  ctx.emit({ kind: 'melt_quote', quote: paid })
  return toMeltQuoteResponse(paid, signatures.map(toBlindSignature))
}

async function compensate(ctx: MintContext, saga: MeltSagaRecord, quote: MeltQuoteRecord): Promise<void> {
  const released = await ctx.store.transaction(async (tx) => {
    if (!(await tx.updateMeltQuote(quote.id, { state: 'UNPAID' }, 'PENDING'))) return false
    await tx.deletePendingProofs(saga.inputYs, saga.id)
    await tx.updateMeltSaga(saga.id, 'FAILED', nowSeconds(ctx.clock))
    return true
  })
  if (!released) return
  ctx.emit({ kind: 'proof_state', ys: saga.inputYs, state: 'UNSPENT' })
  ctx.emit({ kind: 'melt_quote', quote: { ...quote, state: 'UNPAID' } })
}

/** The internal case: the mint pays itself, so everything happens in one transaction. */
export async function settleInternally(
  ctx: MintContext,
  quote: MeltQuoteRecord,
  saga: MeltSagaRecord,
  proofs: ProofRecord[],
): Promise<MeltQuoteBolt11Response> {
  const change = assignChange(
    saga.outputs as BlindedMessage[],
    saga.inputAmount - saga.inputFee - quote.amount,
  )
  const signatures = await signOutputs(ctx.signer, change, saga.id)
  const now = nowSeconds(ctx.clock)
  // The proof of payment a wallet may check, where the backend knows it; asked before the transaction.
  const preimage = await internalPreimage(ctx, quote)
  const paid: MeltQuoteRecord = { ...quote, state: 'PAID', preimage, feePaid: 0n }
  let credited: MintQuoteRecord | undefined
  try {
    credited = await ctx.store.transaction(async (tx) => {
      if (!(await tx.updateMeltQuote(quote.id, { state: 'PAID', preimage, feePaid: 0n }, 'UNPAID')))
        throw new QuoteMoved()
      const mintQuote = await tx.getMintQuote(quote.internalMintQuoteId as string, true)
      if (mintQuote?.state !== 'UNPAID')
        throw new MintError(ErrorCode.INVOICE_ALREADY_PAID, 'invoice is already paid')
      if (mintQuote.amount !== quote.amount)
        throw new MintError(ErrorCode.AMOUNT_MISMATCH, 'internal amounts differ')
      await tx.insertProofs(proofs.map((p) => ({ ...p, state: 'SPENT' as const })))
      await tx.updateMintQuote(mintQuote.id, { state: 'PAID', paidAt: now })
      await tx.insertSignatures(signatures)
      // Kept (already finished) so the change can be looked up later like any melt's.
      await tx.insertMeltSaga({ ...saga, state: 'PAID' })
      return { ...mintQuote, state: 'PAID' as const, paidAt: now }
    })
  } catch (error) {
    if (error instanceof QuoteMoved) await answerMoved(ctx, quote.id, now)
    await explainConflict(ctx.store, error, saga.inputYs)
  }
  ctx.emit({ kind: 'proof_state', ys: saga.inputYs, state: 'SPENT' })
  ctx.emit({ kind: 'melt_quote', quote: paid })
  if (credited) ctx.emit({ kind: 'mint_quote', quote: credited })
  return toMeltQuoteResponse(paid, signatures.map(toBlindSignature))
}

/** The preimage of this mint's own invoice, from the backend that made it, where it knows it. */
async function internalPreimage(ctx: MintContext, quote: MeltQuoteRecord): Promise<string | null> {
  try {
    const mintQuote = await ctx.store.getMintQuote(quote.internalMintQuoteId as string)
    if (!mintQuote) return null
    return (await ctx.backends.ofQuote(mintQuote).invoiceStatus(quote.paymentHash)).preimage ?? null
  } catch {
    return null
  }
}

/** The quote was no longer in the state a write expected. */
export class QuoteMoved extends Error {}

/** After QuoteMoved: another request reserved or paid the quote since it was read; its state is the answer. */
export async function answerMoved(ctx: MintContext, id: string, now: bigint): Promise<never> {
  assertMeltable(await findMeltQuote(ctx, id), now)
  throw new MintError(ErrorCode.QUOTE_PENDING, 'melt quote is pending')
}

/** A melt quote as the wallet sees it, with its change once paid. */
export async function meltQuoteWithChange(
  ctx: MintContext,
  quote: MeltQuoteRecord,
): Promise<MeltQuoteBolt11Response> {
  if (quote.state !== 'PAID') return toMeltQuoteResponse(quote)
  const saga = await ctx.store.findMeltSaga(quote.id)
  const stored = saga
    ? await storedSignatures(
        ctx.store,
        saga.outputs.map((o) => o.B_),
      )
    : []
  const change = stored.filter((s): s is SignatureRecord => s !== undefined)
  return toMeltQuoteResponse(quote, change.map(toBlindSignature))
}
