/**
 * NUT-04 mint and NUT-29 batch mint (a single mint is a batch of one): sign outputs worth exactly
 * the paid quotes. NUT-20 locked quotes need the quote key's signature over the quote id and all
 * outputs. Like a swap, issuance is one transaction: the quotes move PAID -> ISSUED under a row
 * lock and the signatures are stored with them, so a quote is never issued twice and a crash never
 * leaves a quote issued without its signatures. The same request again, after it succeeded, gets
 * the stored signatures back (earlierSignatures), whether it comes later or races the first.
 */
import { verifyMintQuoteSignature } from '../../crypto/mint-quote-signature.ts'
import { sumAmounts } from '../../protocol/amount.ts'
import { ErrorCode, MintError } from '../../protocol/errors.ts'
import type { BlindedMessage } from '../../protocol/schemas/nut00.ts'
import type { PostMintBatchRequest, PostMintResponse } from '../../protocol/schemas/nut04-mint.ts'
import { assertUnspentAndUnsigned, earlierSignatures, explainConflict } from '../checks/conflicts.ts'
import { verifyOutputs } from '../checks/verification.ts'
import type { MintContext } from '../context/mint-context.ts'
import { signOutputs, toBlindSignature } from '../keysets/signatures.ts'
import { nowSeconds } from '../ports/clock.ts'
import { type MintQuoteRecord, StoreConflictError } from '../ports/store.ts'
import { newId } from '../primitives/ids.ts'
import { refreshMintQuote } from '../quotes/mint-quotes.ts'

export const MAX_BATCH_SIZE = 100

/** A paid quote stays mintable after its expiry: the expiry only ends the wait for payment. */
function assertMintable(quote: MintQuoteRecord, now: bigint): void {
  if (quote.state === 'ISSUED') {
    throw new MintError(ErrorCode.QUOTE_ALREADY_ISSUED, `quote ${quote.id} is already issued`)
  }
  if (quote.state === 'PAID') return
  if (quote.expiry <= now) throw new MintError(ErrorCode.QUOTE_EXPIRED, `quote ${quote.id} expired unpaid`)
  throw new MintError(ErrorCode.QUOTE_NOT_PAID, `quote ${quote.id} is not paid`)
}

function assertSignature(
  quote: MintQuoteRecord,
  signature: string | null | undefined,
  outputs: readonly BlindedMessage[],
) {
  if (quote.pubkey === null) {
    if (signature)
      throw new MintError(ErrorCode.QUOTE_SIGNATURE_INVALID, `quote ${quote.id} is not locked to a key`)
    return
  }
  if (!signature || !verifyMintQuoteSignature(quote.pubkey, quote.id, outputs, signature)) {
    throw new MintError(
      ErrorCode.QUOTE_SIGNATURE_INVALID,
      `quote ${quote.id} needs a valid signature by its key`,
    )
  }
}

/** The signatures of an earlier identical request, when all its quotes are issued. */
async function replayIssued(
  ctx: MintContext,
  quotes: readonly MintQuoteRecord[],
  request: PostMintBatchRequest,
): Promise<PostMintResponse | undefined> {
  if (!quotes.every((q) => q.state === 'ISSUED')) return undefined
  quotes.forEach((quote, i) => {
    assertSignature(quote, request.signatures?.[i], request.outputs)
  })
  const earlier = await earlierSignatures(
    ctx.store,
    [],
    request.outputs.map((o) => o.B_),
  )
  const total = sumAmounts(quotes.map((q) => q.amount))
  if (!earlier || sumAmounts(earlier.map((s) => s.amount)) !== total) return undefined
  return { signatures: earlier.map(toBlindSignature) }
}

export async function mintEcash(
  ctx: MintContext,
  method: string,
  request: PostMintBatchRequest,
): Promise<PostMintResponse> {
  const { quotes: ids, outputs } = request
  if (ids.length > MAX_BATCH_SIZE)
    throw new MintError(ErrorCode.MAX_BATCH_SIZE_EXCEEDED, `at most ${MAX_BATCH_SIZE} quotes`)
  if (new Set(ids).size !== ids.length)
    throw new MintError(ErrorCode.DUPLICATE_QUOTE_IDS, 'duplicate quote ids')
  if (request.signatures && request.signatures.length !== ids.length) {
    throw new MintError(ErrorCode.QUOTE_SIGNATURE_INVALID, 'signatures must have one entry per quote')
  }
  if (request.quote_amounts && request.quote_amounts.length !== ids.length) {
    throw new MintError(ErrorCode.MALFORMED_REQUEST, 'quote_amounts: must have one entry per quote')
  }
  const quotes = await Promise.all(ids.map((id) => refreshMintQuote(ctx, id, method)))
  const units = new Set(quotes.map((q) => q.unit))
  if (units.size > 1) throw new MintError(ErrorCode.MULTIPLE_UNITS, 'quotes are of different units')
  const replayed = await replayIssued(ctx, quotes, request)
  if (replayed) return replayed
  const now = nowSeconds(ctx.clock)
  quotes.forEach((quote, i) => {
    assertMintable(quote, now)
    if (request.quote_amounts && request.quote_amounts[i] !== quote.amount) {
      throw new MintError(
        ErrorCode.TRANSACTION_UNBALANCED,
        `quote_amounts[${i}] does not match quote ${quote.id}`,
      )
    }
    assertSignature(quote, request.signatures?.[i], outputs)
  })
  const verified = verifyOutputs(ctx.curve, ctx.ring, outputs, ctx.settings.limits, now)
  if (verified.unit !== quotes[0]?.unit) {
    throw new MintError(ErrorCode.INPUT_OUTPUT_UNIT_MISMATCH, 'outputs are not in the unit of the quote')
  }
  const total = sumAmounts(quotes.map((q) => q.amount))
  if (verified.amount !== total) {
    throw new MintError(
      ErrorCode.TRANSACTION_UNBALANCED,
      `outputs (${verified.amount}) must equal the quotes (${total})`,
    )
  }
  try {
    await assertUnspentAndUnsigned(
      ctx.store,
      [],
      outputs.map((o) => o.B_),
    )
  } catch (error) {
    if (!(error instanceof MintError && error.code === ErrorCode.OUTPUTS_ALREADY_SIGNED)) throw error
    // A concurrent identical request (a wallet retrying) may have issued the quotes since they
    // were read above: then its signatures are the answer, not "already signed".
    const reread = await Promise.all(ids.map((id) => ctx.store.getMintQuote(id)))
    const replay = reread.every((q) => q !== undefined) && (await replayIssued(ctx, reread, request))
    if (replay) return replay
    throw error
  }
  const operationId = newId(ctx.clock.nowMs())
  const signatures = await signOutputs(ctx.signer, outputs, operationId, verified.points)
  const issuedAt = now
  let issued: MintQuoteRecord[] = []
  try {
    issued = await ctx.store.transaction(async (tx) => {
      const locked = []
      // Lock in a fixed order so concurrent batches over the same quotes cannot deadlock.
      for (const id of [...ids].sort()) {
        const quote = await tx.getMintQuote(id, true)
        if (!quote) throw new MintError(ErrorCode.MALFORMED_REQUEST, `quotes: mint quote ${id} not found`)
        assertMintable(quote, now)
        await tx.updateMintQuote(id, { state: 'ISSUED', issuedAt })
        locked.push({ ...quote, state: 'ISSUED' as const, issuedAt })
      }
      await tx.insertSignatures(signatures)
      return locked
    })
  } catch (error) {
    // A concurrent identical request may have won: then its signatures are the answer.
    const raced =
      error instanceof StoreConflictError ||
      (error instanceof MintError && error.code === ErrorCode.QUOTE_ALREADY_ISSUED)
    const earlier =
      raced &&
      (await earlierSignatures(
        ctx.store,
        [],
        outputs.map((o) => o.B_),
      ))
    if (earlier) return { signatures: earlier.map(toBlindSignature) }
    await explainConflict(ctx.store, error, [])
  }
  for (const quote of issued) ctx.emit({ kind: 'mint_quote', quote })
  return { signatures: signatures.map(toBlindSignature) }
}
