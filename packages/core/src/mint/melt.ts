/**
 * NUT-05 melt as a saga, because paying an invoice is a side effect the database cannot roll back.
 *
 * 1. Reserve (one transaction): the inputs are stored PENDING, the quote moves to PENDING and the
 *    saga row is written, all together. Nothing has left the mint yet.
 * 2. Pay, outside any transaction, with a hard fee limit equal to the reserve.
 * 3. Settle: PAID -> inputs SPENT, quote PAID with the preimage, change signed (NUT-08);
 *    FAILED (definite) -> compensate: inputs released, quote UNPAID, saga FAILED;
 *    PENDING or UNKNOWN -> nothing: the inputs stay reserved until recovery (at start, on a timer,
 *    and whenever the wallet asks about the quote) gets a definite answer from the backend.
 * A crash between any two steps leaves a PENDING saga that recovery finishes, so proofs are never
 * released while a payment may still go through. Settle steps run under the quote's row lock and
 * check its state, so recovery and a request racing on one melt settle it once.
 *
 * An invoice of this mint's own mint quote needs no Lightning: it settles in one transaction.
 */
import { ErrorCode, MintError } from '../protocol/errors.ts'
import type { BlindedMessage } from '../protocol/schemas/nut00.ts'
import type { MeltQuoteBolt11Response, PostMeltRequest } from '../protocol/schemas/nut05-melt.ts'
import { assignChange } from './change.ts'
import { assertUnspentAndUnsigned, explainConflict } from './conflicts.ts'
import type { MintContext } from './context.ts'
import { newId } from './ids.ts'
import { toMeltQuoteResponse } from './melt-quotes.ts'
import {
  type MeltQuoteRecord,
  type MeltSagaRecord,
  type MintQuoteRecord,
  nowSeconds,
  type PaymentResult,
  type ProofRecord,
  type SignatureRecord,
  StoreConflictError,
} from './ports.ts'
import { signOutputs, storedSignatures, toBlindSignature } from './signer.ts'
import { fromMsatCeil, parseRate, toMsatFloor } from './units.ts'
import { toProofRecords, verifyInputs, verifyOutputs } from './verification.ts'

function assertMeltable(quote: MeltQuoteRecord, now: bigint): void {
  if (quote.state === 'PENDING') throw new MintError(ErrorCode.QUOTE_PENDING, 'melt quote is pending')
  if (quote.state === 'PAID')
    throw new MintError(ErrorCode.INVOICE_ALREADY_PAID, 'melt quote is already paid')
  if (quote.expiry <= now) throw new MintError(ErrorCode.QUOTE_EXPIRED, 'melt quote has expired')
}

async function getQuote(ctx: MintContext, id: string): Promise<MeltQuoteRecord> {
  const quote = await ctx.store.getMeltQuote(id)
  if (!quote) throw new MintError(ErrorCode.MALFORMED_REQUEST, `quote: melt quote ${id} not found`)
  return quote
}

export async function melt(ctx: MintContext, request: PostMeltRequest): Promise<MeltQuoteBolt11Response> {
  const now = nowSeconds(ctx.clock)
  const quote = await getQuote(ctx, request.quote)
  assertMeltable(quote, now)
  const blanks = request.outputs ?? []
  const { limits } = ctx.settings
  if (
    blanks.length > 0 &&
    verifyOutputs(ctx.curve, ctx.ring, blanks, limits, now, true).unit !== quote.unit
  ) {
    throw new MintError(
      ErrorCode.INPUT_OUTPUT_UNIT_MISMATCH,
      'change outputs are not in the unit of the quote',
    )
  }
  const inputs = verifyInputs(
    ctx.curve,
    ctx.ring,
    request.inputs,
    { outputs: blanks, quoteId: quote.id },
    limits,
    now,
  )
  if (inputs.unit !== quote.unit) {
    throw new MintError(ErrorCode.INPUT_OUTPUT_UNIT_MISMATCH, 'inputs are not in the unit of the quote')
  }
  const needed = quote.amount + quote.feeReserve + inputs.fee
  if (inputs.amount < needed) {
    throw new MintError(
      ErrorCode.TRANSACTION_UNBALANCED,
      `inputs (${inputs.amount}) must cover amount, fee reserve and input fees (${needed})`,
    )
  }
  await assertUnspentAndUnsigned(
    ctx.store,
    inputs.ys,
    blanks.map((o) => o.B_),
  ).catch((error) => answerRetry(ctx, quote.id, now, error))
  const saga: MeltSagaRecord = {
    id: newId(ctx.clock.nowMs()),
    quoteId: quote.id,
    state: 'PENDING',
    inputYs: inputs.ys,
    outputs: blanks.map(({ amount, id, B_ }) => ({ amount, id, B_ })),
    inputAmount: inputs.amount,
    inputFee: inputs.fee,
    createdAt: now,
    updatedAt: now,
  }
  const proofs = toProofRecords(request.inputs, inputs, 'PENDING', saga.id)
  if (quote.internalMintQuoteId) return settleInternally(ctx, quote, saga, proofs)
  await reserve(ctx, quote, saga, proofs)
  ctx.paying.add(quote.id)
  const attempt = pay(ctx, quote)
    .then((result) => settle(ctx, saga, result, true))
    .finally(() => ctx.paying.delete(quote.id))
  // The outcome reaches a wallet that does not wait through the quote's state (GET or NUT-17).
  attempt.catch(() => undefined)
  const pending = toMeltQuoteResponse({ ...quote, state: 'PENDING' })
  if (request.prefer_async) return pending
  // A payment still in flight after the wait answers PENDING instead of holding the request open.
  const waitMs = ctx.settings.meltWaitMs ?? 60_000
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<MeltQuoteBolt11Response>((resolve) => {
    timer = setTimeout(() => resolve(pending), waitMs)
  })
  return Promise.race([attempt, timeout]).finally(() => clearTimeout(timer))
}

/**
 * A wallet that sends the same melt twice at once (a retry) can find its inputs reserved by the
 * other request after it read the quote. The quote's state is then the answer (pending or paid),
 * as for a retry that comes later, rather than "proofs are pending" or "already spent".
 */
async function answerRetry(ctx: MintContext, quoteId: string, now: bigint, error: unknown): Promise<never> {
  const inputsTaken =
    error instanceof MintError &&
    (error.code === ErrorCode.PROOFS_PENDING || error.code === ErrorCode.PROOFS_ALREADY_SPENT)
  if (inputsTaken) assertMeltable(await getQuote(ctx, quoteId), now)
  throw error
}

async function reserve(
  ctx: MintContext,
  quote: MeltQuoteRecord,
  saga: MeltSagaRecord,
  proofs: ProofRecord[],
) {
  try {
    await ctx.store.transaction(async (tx) => {
      const locked = await tx.getMeltQuote(quote.id, true)
      if (!locked) throw new MintError(ErrorCode.MALFORMED_REQUEST, `quote: melt quote ${quote.id} not found`)
      assertMeltable(locked, saga.createdAt)
      await tx.insertProofs(proofs)
      await tx.updateMeltQuote(quote.id, { state: 'PENDING' })
      await tx.insertMeltSaga(saga)
    })
  } catch (error) {
    if (error instanceof StoreConflictError && error.conflict === 'melt-payment') {
      throw new MintError(ErrorCode.QUOTE_PENDING, 'this invoice is already being paid or was paid')
    }
    await explainConflict(ctx.store, error, saga.inputYs)
  }
  ctx.emit({ kind: 'proof_state', ys: saga.inputYs, state: 'PENDING' })
  ctx.emit({ kind: 'melt_quote', quote: { ...quote, state: 'PENDING' } })
}

/** Pays the quote's invoice; any exception is an UNKNOWN outcome, never a failure. */
async function pay(ctx: MintContext, quote: MeltQuoteRecord): Promise<PaymentResult> {
  try {
    return await ctx.lightning.pay({
      invoice: quote.request,
      paymentHash: quote.paymentHash,
      amountMsat: quote.amountMsat,
      // The fee reserve the wallet provided, in msat, rounded down: never more than it covers.
      maxFeeMsat: toMsatFloor(quote.feeReserve, parseRate(quote.rate)),
    })
  } catch (error) {
    return { status: 'UNKNOWN', reason: error instanceof Error ? error.message : String(error) }
  }
}

/**
 * Applies a payment outcome to a PENDING saga. `throwOnFailure` turns a definite failure into the
 * NUT-05 error for the wallet that is waiting on it; recovery only compensates.
 */
export async function settle(
  ctx: MintContext,
  saga: MeltSagaRecord,
  result: PaymentResult,
  throwOnFailure: boolean,
): Promise<MeltQuoteBolt11Response> {
  const quote = await getQuote(ctx, saga.quoteId)
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
  const signatures = signOutputs(ctx.curve, ctx.ring, change, saga.id)
  const paid: MeltQuoteRecord = { ...quote, state: 'PAID', preimage, feePaid }
  const done = await ctx.store.transaction(async (tx) => {
    const locked = await tx.getMeltQuote(quote.id, true)
    if (locked?.state !== 'PENDING') return false
    await tx.markProofsSpent(saga.inputYs, saga.id)
    await tx.updateMeltQuote(quote.id, { state: 'PAID', preimage, feePaid })
    await tx.insertSignatures(signatures)
    await tx.updateMeltSaga(saga.id, 'PAID', nowSeconds(ctx.clock))
    return true
  })
  if (!done) return meltQuoteWithChange(ctx, quote.id)
  ctx.emit({ kind: 'proof_state', ys: saga.inputYs, state: 'SPENT' })
  ctx.emit({ kind: 'melt_quote', quote: paid })
  return toMeltQuoteResponse(paid, signatures.map(toBlindSignature))
}

async function compensate(ctx: MintContext, saga: MeltSagaRecord, quote: MeltQuoteRecord): Promise<void> {
  const released = await ctx.store.transaction(async (tx) => {
    const locked = await tx.getMeltQuote(quote.id, true)
    if (locked?.state !== 'PENDING') return false
    await tx.deletePendingProofs(saga.inputYs, saga.id)
    await tx.updateMeltQuote(quote.id, { state: 'UNPAID' })
    await tx.updateMeltSaga(saga.id, 'FAILED', nowSeconds(ctx.clock))
    return true
  })
  if (!released) return
  ctx.emit({ kind: 'proof_state', ys: saga.inputYs, state: 'UNSPENT' })
  ctx.emit({ kind: 'melt_quote', quote: { ...quote, state: 'UNPAID' } })
}

/** The internal case: the mint pays itself, so everything happens in one transaction. */
async function settleInternally(
  ctx: MintContext,
  quote: MeltQuoteRecord,
  saga: MeltSagaRecord,
  proofs: ProofRecord[],
): Promise<MeltQuoteBolt11Response> {
  const change = assignChange(
    saga.outputs as BlindedMessage[],
    saga.inputAmount - saga.inputFee - quote.amount,
  )
  const signatures = signOutputs(ctx.curve, ctx.ring, change, saga.id)
  const now = nowSeconds(ctx.clock)
  // The proof of payment a wallet may check, where the backend knows it; asked before the transaction.
  const preimage = await ctx.lightning
    .invoiceStatus(quote.paymentHash)
    .then((status) => status.preimage ?? null)
    .catch(() => null)
  const paid: MeltQuoteRecord = { ...quote, state: 'PAID', preimage, feePaid: 0n }
  let credited: MintQuoteRecord | undefined
  try {
    credited = await ctx.store.transaction(async (tx) => {
      const locked = await tx.getMeltQuote(quote.id, true)
      if (!locked) throw new MintError(ErrorCode.MALFORMED_REQUEST, `quote: melt quote ${quote.id} not found`)
      assertMeltable(locked, now)
      const mintQuote = await tx.getMintQuote(quote.internalMintQuoteId as string, true)
      if (mintQuote?.state !== 'UNPAID')
        throw new MintError(ErrorCode.INVOICE_ALREADY_PAID, 'invoice is already paid')
      if (mintQuote.amount !== quote.amount)
        throw new MintError(ErrorCode.AMOUNT_MISMATCH, 'internal amounts differ')
      await tx.insertProofs(proofs.map((p) => ({ ...p, state: 'SPENT' as const })))
      await tx.updateMintQuote(mintQuote.id, { state: 'PAID', paidAt: now })
      await tx.updateMeltQuote(quote.id, { state: 'PAID', preimage, feePaid: 0n })
      await tx.insertSignatures(signatures)
      // Kept (already finished) so the change can be looked up later like any melt's.
      await tx.insertMeltSaga({ ...saga, state: 'PAID' })
      return { ...mintQuote, state: 'PAID' as const, paidAt: now }
    })
  } catch (error) {
    await explainConflict(ctx.store, error, saga.inputYs)
  }
  ctx.emit({ kind: 'proof_state', ys: saga.inputYs, state: 'SPENT' })
  ctx.emit({ kind: 'melt_quote', quote: paid })
  if (credited) ctx.emit({ kind: 'mint_quote', quote: credited })
  return toMeltQuoteResponse(paid, signatures.map(toBlindSignature))
}

/** A melt quote as the wallet sees it, with its change once paid. */
export async function meltQuoteWithChange(ctx: MintContext, id: string): Promise<MeltQuoteBolt11Response> {
  const quote = await getQuote(ctx, id)
  if (quote.state !== 'PAID') return toMeltQuoteResponse(quote)
  const saga = await ctx.store.findMeltSaga(id)
  const stored = saga
    ? await storedSignatures(
        ctx.store,
        saga.outputs.map((o) => o.B_),
      )
    : []
  const change = stored.filter((s): s is SignatureRecord => s !== undefined)
  return toMeltQuoteResponse(quote, change.map(toBlindSignature))
}
