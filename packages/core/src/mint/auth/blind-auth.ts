/**
 * NUT-22 blind authentication in the engine. BATs are ecash of the `auth` keyset (amount 1, no
 * fee), minted for a user the HTTP edge verified with NUT-21, and presented one per protected
 * request. A BAT is verified like a proof (NUT-00, against the auth keyset only) and reserved in its
 * own spent set before the request runs; the request's success makes it SPENT, a failure releases
 * it ("not marked as spent if the request results in an error"). The BAT carries no link to the
 * user it was minted for: only counts per user are kept.
 */
import { bytesToHex } from '../../crypto/bytes.ts'
import { hashSecretToCurve } from '../../crypto/hash-to-curve.ts'
import { ErrorCode, MintError } from '../../protocol/errors.ts'
import type { BlindedMessage } from '../../protocol/schemas/nut00.ts'
import { PostSwapRequest } from '../../protocol/schemas/nut03.ts'
import { PostMintBatchRequest, PostMintRequest } from '../../protocol/schemas/nut04-mint.ts'
import { PostMeltRequest } from '../../protocol/schemas/nut05-melt.ts'
import type { AuthProof, PostAuthBlindMintResponse } from '../../protocol/schemas/nut21-22.ts'
import { earlierSignatures } from '../checks/conflicts.ts'
import { verifyInputs, verifyOutputs } from '../checks/verification.ts'
import type { MintContext } from '../context/mint-context.ts'
import type { BlindAuthSettings } from '../context/settings.ts'
import { AUTH_UNIT } from '../keysets/keyset-setup.ts'
import { signOutputs, toBlindSignature } from '../keysets/signatures.ts'
import { nowSeconds } from '../ports/clock.ts'
import { newId } from '../primitives/ids.ts'

const DEFAULTS: BlindAuthSettings = { batMaxMint: 50, mintRequestsPerMinute: 10 }
const DEFAULT_GRACE_SECONDS = 600n

const settingsOf = (ctx: MintContext) => ctx.settings.blindAuth ?? DEFAULTS

/** POST /v1/auth/blind/mint for the user `subject` (the verified CAT's `sub`). */
export async function mintBlindAuthTokens(
  ctx: MintContext,
  outputs: readonly BlindedMessage[],
  subject: string,
): Promise<PostAuthBlindMintResponse> {
  const { batMaxMint, mintRequestsPerMinute } = settingsOf(ctx)
  if (outputs.length === 0) throw new MintError(ErrorCode.MALFORMED_REQUEST, 'outputs: at least one')
  if (outputs.length > batMaxMint)
    throw new MintError(ErrorCode.BAT_MINT_MAX_EXCEEDED, `outputs: at most ${batMaxMint} BATs per request`)
  const now = nowSeconds(ctx.clock)
  // Only the active auth keyset is known here, and it has only the amount 1.
  verifyOutputs(ctx.curve, ctx.authRing, outputs, ctx.settings.limits, now)
  if (!(await ctx.store.countAuthIssuance(subject, BigInt(outputs.length), now, mintRequestsPerMinute)))
    throw new MintError(
      ErrorCode.BAT_MINT_RATE_LIMITED,
      `at most ${mintRequestsPerMinute} BAT mint requests per minute`,
    )
  return { signatures: (await signOutputs(ctx.signer, outputs, AUTH_UNIT)).map(toBlindSignature) }
}

/**
 * What kind of request it is, for recovery: a swap, a mint or a melt leave something that shows,
 * after a crash, whether they took effect; any other request leaves nothing to read.
 */
export type EvidenceKind = 'swap' | 'mint' | 'melt'

/** The protected request a BAT is presented for. */
export interface AuthorizedRequest {
  /** `POST /v1/swap` */
  endpoint: string
  /** Hash of method, path and parsed body. */
  key: string
  /** The parsed body: recovery keeps what tells whether it took effect (never its secrets). */
  body: unknown
  /** The route's kind, where it has an effect recovery can find (the HTTP edge's route table says). */
  evidence?: EvidenceKind | undefined
  /**
   * NUT-19: the endpoint answers a repeated request with the first answer (swap, mint, melt); the
   * same request retried with its BAT (cashu-ts retries with the same headers) spends nothing more.
   */
  replayable: boolean
}

export interface BlindAuthReservation {
  y: string
  /** Null for a retry of the request the BAT was already spent on: nothing to settle. */
  reservation: string | null
  /** What recovery reads (Evidence, as JSON). */
  evidence: string | null
}

const failed = (detail: string) => new MintError(ErrorCode.BLIND_AUTH_FAILED, `Blind-auth: ${detail}`)

/** What would show, after a crash, that a request took effect. */
type Evidence =
  | { ys: string[]; outputs: string[] }
  | { quotes: string[]; outputs: string[] }
  | { quote: string }

function evidenceOf(ctx: MintContext, kind: EvidenceKind | undefined, body: unknown): Evidence | undefined {
  const B_s = (outputs: readonly BlindedMessage[]) => outputs.map((o) => o.B_)
  if (kind === 'swap') {
    const request = PostSwapRequest.safeParse(body)
    if (!request.success) return undefined
    const ys = request.data.inputs.map((p) => bytesToHex(hashSecretToCurve(ctx.curve, p.secret)))
    return { ys, outputs: B_s(request.data.outputs) }
  }
  if (kind === 'mint') {
    // One quote (NUT-04) or several (NUT-29 batch).
    const batch = PostMintBatchRequest.safeParse(body)
    if (batch.success) return { quotes: batch.data.quotes, outputs: B_s(batch.data.outputs) }
    const single = PostMintRequest.safeParse(body)
    return single.success ? { quotes: [single.data.quote], outputs: B_s(single.data.outputs) } : undefined
  }
  if (kind === 'melt') {
    const request = PostMeltRequest.safeParse(body)
    return request.success ? { quote: request.data.quote } : undefined
  }
  // Nothing else has an effect the wallet could have received without the answer.
  return undefined
}

/** Verifies the BAT and reserves it for this request, or refuses with 31002. */
export async function reserveBlindAuth(
  ctx: MintContext,
  proof: AuthProof,
  request: AuthorizedRequest,
): Promise<BlindAuthReservation> {
  const now = nowSeconds(ctx.clock)
  let y: string
  try {
    const proofs = [{ ...proof, amount: 1n }]
    const verified = await verifyInputs(
      ctx.curve,
      ctx.authRing,
      ctx.signer,
      proofs,
      { outputs: [] },
      ctx.settings.limits,
      now,
    )
    ;[y] = verified.ys as [string]
  } catch (error) {
    if (error instanceof MintError) throw failed(error.detail)
    throw error
  }
  const seen = evidenceOf(ctx, request.evidence, request.body)
  const evidence = seen === undefined ? null : JSON.stringify(seen)
  const reservation = newId(ctx.clock.nowMs())
  const existing = await ctx.store.reserveAuthProof({
    y,
    keysetId: proof.id,
    secret: proof.secret,
    C: proof.C,
    state: 'PENDING',
    requestKey: request.key,
    endpoint: request.endpoint,
    reservation,
    evidence,
    createdAt: now,
  })
  if (!existing) return { y, reservation, evidence }
  if (existing.state === 'SPENT' && request.replayable && existing.requestKey === request.key)
    return { y, reservation: null, evidence }
  throw failed(
    existing.state === 'PENDING'
      ? 'this token is being used by a request in progress'
      : 'this token was already spent',
  )
}

type Outcome = 'succeeded' | 'failed' | 'unknown'

/** Whether the request took effect, from what it would have written. */
async function outcomeOf(ctx: MintContext, evidence: string | null): Promise<Outcome> {
  const seen = evidence === null ? undefined : (JSON.parse(evidence) as Evidence)
  if (!seen) return 'failed'
  if ('quote' in seen) {
    const quote = await ctx.store.getMeltQuote(seen.quote)
    if (quote?.state === 'PAID') return 'succeeded'
    return quote?.state === 'PENDING' ? 'unknown' : 'failed'
  }
  // A swap took effect when one operation spent its inputs and signed its outputs; a mint, when one
  // operation signed its outputs and its quotes were issued.
  const ys = 'ys' in seen ? seen.ys : []
  if (!(await earlierSignatures(ctx.store, ys, seen.outputs))) return 'failed'
  if (!('quotes' in seen)) return 'succeeded'
  const quotes = await Promise.all(seen.quotes.map((id) => ctx.store.getMintQuote(id)))
  return quotes.every((q) => q?.state === 'ISSUED') ? 'succeeded' : 'failed'
}

async function settle(ctx: MintContext, reservation: BlindAuthReservation, outcome: Outcome): Promise<void> {
  if (reservation.reservation === null || outcome === 'unknown') return
  await ctx.store.finishAuthProof(reservation.y, reservation.reservation, outcome === 'succeeded')
}

/**
 * After the request: SPENT if it succeeded. If it failed, released, unless what it wrote shows it
 * took effect after all (an error after the commit) or a melt is still pending.
 */
export async function finishBlindAuth(
  ctx: MintContext,
  reservation: BlindAuthReservation,
  succeeded: boolean,
): Promise<void> {
  await settle(ctx, reservation, succeeded ? 'succeeded' : await outcomeOf(ctx, reservation.evidence))
}

export interface BlindAuthRecoveryReport {
  checked: number
  spent: number
  released: number
}

/**
 * BATs left PENDING (a crash between the request and its settling, when no answer was sent): SPENT
 * where the request took effect, released where it did not once the grace has passed (another
 * instance may still be running it), left while a melt is still pending.
 */
export async function recoverBlindAuth(ctx: MintContext): Promise<BlindAuthRecoveryReport> {
  const grace = BigInt(settingsOf(ctx).pendingGraceSeconds ?? DEFAULT_GRACE_SECONDS)
  const now = nowSeconds(ctx.clock)
  const pending = await ctx.store.listPendingAuthProofs()
  const report = { checked: pending.length, spent: 0, released: 0 }
  for (const proof of pending) {
    const outcome = await outcomeOf(ctx, proof.evidence)
    if (outcome === 'failed' && now - proof.createdAt < grace) continue
    await settle(ctx, proof, outcome)
    if (outcome === 'succeeded') report.spent++
    if (outcome === 'failed') report.released++
  }
  return report
}
