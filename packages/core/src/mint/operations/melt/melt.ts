/**
 * NUT-05 melt as a saga, because paying an invoice is a side effect the database cannot roll back.
 *
 * 1. Reserve (one transaction): the quote moves UNPAID -> PENDING (a conditional update, which also
 *    takes its row lock), the inputs are stored PENDING and the saga row is written, all together.
 *    Nothing has left the mint yet.
 * 2. Pay, outside any transaction, with a hard fee limit equal to the reserve.
 * 3. Settle (settle.ts): PAID -> inputs SPENT, quote PAID with the preimage, change signed (NUT-08);
 *    FAILED (definite) -> compensate: inputs released, quote UNPAID, saga FAILED;
 *    PENDING or UNKNOWN -> nothing: the inputs stay reserved until recovery (recovery.ts: at start,
 *    on a timer, and whenever the wallet asks about the quote) gets a definite answer.
 * A crash between any two steps leaves a PENDING saga that recovery finishes, so proofs are never
 * released while a payment may still go through. The quote is read once, here; every later step
 * is passed it and changes it only from the state it expects, so recovery and a request racing on
 * one melt settle it once.
 *
 * An invoice of this mint's own mint quote needs no Lightning: it settles in one transaction.
 */
import { ErrorCode, MintError } from '../../../protocol/errors.ts'
import type { MeltQuoteBolt11Response, PostMeltRequest } from '../../../protocol/schemas/nut05-melt.ts'
import { assertUnspentAndUnsigned, explainConflict } from '../../checks/conflicts.ts'
import { toProofRecords, verifyInputs, verifyOutputs } from '../../checks/verification.ts'
import type { MintContext } from '../../context/mint-context.ts'
import { nowSeconds } from '../../ports/clock.ts'
import type { PaymentResult } from '../../ports/payment-backend.ts'
import {
  type MeltQuoteRecord,
  type MeltSagaRecord,
  type ProofRecord,
  StoreConflictError,
} from '../../ports/store.ts'
import { newId } from '../../primitives/ids.ts'
import { parseRate, toMsatFloor } from '../../primitives/prices.ts'
import { assertMeltable, findMeltQuote, toMeltQuoteResponse } from '../../quotes/melt-quotes.ts'
import { answerMoved, QuoteMoved, settle, settleInternally } from './settle.ts'

export async function melt(
  ctx: MintContext,
  method: string,
  request: PostMeltRequest,
): Promise<MeltQuoteBolt11Response> {
  const now = nowSeconds(ctx.clock)
  const quote = await findMeltQuote(ctx, request.quote, method)
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
  const inputs = await verifyInputs(
    ctx.curve,
    ctx.ring,
    ctx.signer,
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
  const pendingQuote = await reserve(ctx, quote, saga, proofs)
  ctx.paying.add(quote.id)
  const attempt = pay(ctx, quote)
    .then((result) => settle(ctx, saga, pendingQuote, result, true))
    .finally(() => ctx.paying.delete(quote.id))
  // The outcome reaches a wallet that does not wait through the quote's state (GET or NUT-17).
  attempt.catch(() => undefined)
  const pending = toMeltQuoteResponse(pendingQuote)
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
  if (inputsTaken) assertMeltable(await findMeltQuote(ctx, quoteId), now)
  throw error
}

/** Step 1; answers the quote as it now is (PENDING). */
async function reserve(
  ctx: MintContext,
  quote: MeltQuoteRecord,
  saga: MeltSagaRecord,
  proofs: ProofRecord[],
): Promise<MeltQuoteRecord> {
  try {
    await ctx.store.transaction(async (tx) => {
      if (!(await tx.updateMeltQuote(quote.id, { state: 'PENDING' }, 'UNPAID'))) throw new QuoteMoved()
      await tx.insertProofs(proofs)
      await tx.insertMeltSaga(saga)
    })
  } catch (error) {
    if (error instanceof QuoteMoved) await answerMoved(ctx, quote.id, saga.createdAt)
    if (error instanceof StoreConflictError && error.conflict === 'melt-payment') {
      throw new MintError(ErrorCode.QUOTE_PENDING, 'this invoice is already being paid or was paid')
    }
    await explainConflict(ctx.store, error, saga.inputYs)
  }
  const pending: MeltQuoteRecord = { ...quote, state: 'PENDING' }
  ctx.emit({ kind: 'proof_state', ys: saga.inputYs, state: 'PENDING' })
  ctx.emit({ kind: 'melt_quote', quote: pending })
  return pending
}

/** Pays the quote's invoice; any exception is an UNKNOWN outcome, never a failure. */
async function pay(ctx: MintContext, quote: MeltQuoteRecord): Promise<PaymentResult> {
  try {
    return await ctx.backends.ofQuote(quote).pay({
      quoteId: quote.id,
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
