/**
 * Holds: a deposit, or a price known only after the work. A service takes a token now for the most
 * it may keep (a redemption, redeem.ts, whose receipt is the hold); later it settles, keeping part,
 * and the rest goes back to the payer as new ecash (a refund of that part, refund.ts). A hold
 * settles once: its refund is unique per receipt, so two settlements at once, a settlement and a
 * claim, or a retry all get the first one's answer. Unsettled when it expires, it settles by the
 * service's rule (keep all or return all), when the payer claims or the background sweep finds it.
 *
 * The payer collects what comes back without the service: the hold's claim secret (an HMAC of the
 * hold id under the mint-made key, so no secret is stored) opens `POST /v1/holds/{id}/claim`, which
 * answers the same ecash every time.
 */
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, equalBytes, hexToBytes, utf8ToBytes } from '../../crypto/bytes.ts'
import { ErrorCode, MintError } from '../../protocol/errors.ts'
import type { Proof } from '../../protocol/schemas/nut00.ts'
import type { MintContext } from '../context/mint-context.ts'
import { nowSeconds } from '../ports/clock.ts'
import type { HoldRecord, ReceiptRecord } from '../ports/store.ts'
import { type Receipt, type RedeemRequest, type Redemption, redeem } from './redeem.ts'
import { refund } from './refund.ts'

export interface HoldRequest extends Omit<RedeemRequest, 'amount' | 'hold' | 'whole'> {
  /** The most the service may keep: charged now. */
  max: bigint
  ttlSeconds: bigint
  /** What an unsettled hold does when it expires: the service keeps all, or the payer gets all back. */
  onExpiry: 'keep' | 'return'
}

export interface Hold {
  id: string
  unit: string
  /** What is held: the most the service may keep. */
  amount: bigint
  expiresAt: bigint
  onExpiry: 'keep' | 'return'
  state: 'held' | 'settled'
  /** Once settled: what the service kept and what went back to the payer. */
  kept: bigint | null
  returned: bigint | null
}

export interface Holding {
  hold: Hold
  /** The hold's receipt: what was charged (the most the service may keep) and the change. */
  receipt: Receipt
  /** For the payer: it opens the claim of what the hold gives back. */
  claim: string
  change: Redemption['change']
  replayed: boolean
}

export interface HoldSettlement {
  hold: Hold
  /** What went back to the payer (none when all was kept); the same proofs on every call. */
  proofs: Proof[]
  /** True when the hold was settled before: this is that settlement. */
  replayed: boolean
}

/** `settled`: the refund that settled it (what went back), if any. */
const holdOf = (
  record: HoldRecord,
  receipt: ReceiptRecord,
  settled: { amount: bigint } | undefined,
): Hold => ({
  id: receipt.id,
  unit: receipt.unit,
  amount: receipt.amount,
  expiresAt: record.expiresAt,
  onExpiry: record.onExpiry,
  state: settled ? 'settled' : 'held',
  kept: settled ? receipt.amount - settled.amount : null,
  returned: settled ? settled.amount : null,
})

/** The claim secret of a hold: derived, never stored. */
const claimOf = (ctx: MintContext, id: string): string =>
  bytesToHex(hmac(sha256, ctx.mintMadeKey, utf8ToBytes(`hold-claim/${id}`)))

export async function hold(ctx: MintContext, request: HoldRequest): Promise<Holding> {
  if (request.ttlSeconds <= 0n) throw new MintError(ErrorCode.MALFORMED_REQUEST, 'ttl: must be positive')
  const { max, ttlSeconds, onExpiry, ...redemption } = request
  const redeemed = await redeem(ctx, { ...redemption, amount: max, hold: { ttlSeconds, onExpiry } })
  const record = await ctx.store.getHold(redeemed.receipt.id)
  if (!record)
    throw new MintError(
      ErrorCode.PROOFS_ALREADY_SPENT,
      `this token was already redeemed as a payment (receipt ${redeemed.receipt.id}), not held`,
    )
  const receipt = (await ctx.store.getReceipt(record.receiptId)) as ReceiptRecord
  return {
    hold: holdOf(record, receipt, await ctx.store.findRefund(receipt.id)),
    receipt: redeemed.receipt,
    claim: claimOf(ctx, receipt.id),
    change: redeemed.change,
    replayed: redeemed.replayed,
  }
}

async function holdAndReceipt(ctx: MintContext, id: string): Promise<[HoldRecord, ReceiptRecord]> {
  const [record, receipt] = await Promise.all([ctx.store.getHold(id), ctx.store.getReceipt(id)])
  if (!record || !receipt) throw new MintError(ErrorCode.MALFORMED_REQUEST, `hold: no hold ${id}`)
  return [record, receipt]
}

/** Keeps `keep` of the hold and gives the rest back, once; a later call answers the first settlement. */
export async function settleHold(
  ctx: MintContext,
  request: { holdId: string; keep: bigint },
): Promise<HoldSettlement> {
  const [record, receipt] = await holdAndReceipt(ctx, request.holdId)
  if (request.keep < 0n || request.keep > receipt.amount)
    throw new MintError(ErrorCode.MALFORMED_REQUEST, `keep: 0 to the ${receipt.amount} held`)
  const settled = await refund(ctx, {
    receiptId: receipt.id,
    amount: receipt.amount - request.keep,
    reason: 'hold settled',
  })
  return { hold: holdOf(record, receipt, settled.refund), proofs: settled.proofs, replayed: settled.replayed }
}

/** Settles an expired hold by its rule. */
const settleByRule = (ctx: MintContext, record: HoldRecord, receipt: ReceiptRecord) =>
  settleHold(ctx, { holdId: receipt.id, keep: record.onExpiry === 'keep' ? receipt.amount : 0n })

/**
 * The payer's side: with the claim secret, what the hold gave back (settling an expired one by its
 * rule first), or that it is still held.
 */
export async function claimHold(
  ctx: MintContext,
  request: { holdId: string; secret: string },
): Promise<HoldSettlement> {
  let given: Uint8Array
  try {
    given = hexToBytes(request.secret)
  } catch {
    given = new Uint8Array()
  }
  if (!equalBytes(given, hexToBytes(claimOf(ctx, request.holdId))))
    throw new MintError(ErrorCode.MALFORMED_REQUEST, 'secret: not this hold’s claim secret')
  const [record, receipt] = await holdAndReceipt(ctx, request.holdId)
  const settled = await ctx.store.findRefund(receipt.id)
  if (settled || nowSeconds(ctx.clock) >= record.expiresAt)
    return settled ? settleHold(ctx, { holdId: receipt.id, keep: 0n }) : settleByRule(ctx, record, receipt)
  return { hold: holdOf(record, receipt, undefined), proofs: [], replayed: false }
}

/** Settles holds that expired unsettled, by their rules (the background sweep); how many. */
export async function settleExpiredHolds(ctx: MintContext, limit = 100): Promise<number> {
  const expired = await ctx.store.listExpiredHolds(nowSeconds(ctx.clock), limit)
  for (const record of expired) {
    const receipt = (await ctx.store.getReceipt(record.receiptId)) as ReceiptRecord
    await settleByRule(ctx, record, receipt)
  }
  return expired.length
}
