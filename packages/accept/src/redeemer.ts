/**
 * What a service needs to take ecash as payment: redeem a token for a price, once, with a receipt
 * and change, and give the price back when it could not deliver. The same interface runs
 * in-process next to the mint (local-redeemer.ts) or against a mint elsewhere over its admin API
 * (remote-redeemer.ts).
 */
import type { Hold, Receipt, Refund } from '@cashu-mint/core/mint'
import type { BlindedMessage, BlindSignature } from '@cashu-mint/core/protocol'

export interface RedeemOptions {
  /** The price. */
  amount: bigint
  unit: string
  /**
   * Idempotency key (a request or order id): a retry with the same key and token returns the first
   * receipt; without it, or with another key, a token already redeemed is refused (11001).
   */
  key?: string | undefined
  memo?: string | undefined
  /** NUT-00 blinded outputs for the change; without them the change comes back as a token. */
  outputs?: readonly BlindedMessage[] | undefined
  /** Charge the token's whole worth after its input fee, at least `amount`, with no change (a stamp). */
  whole?: boolean | undefined
}

export interface RedeemResult {
  receipt: Receipt
  /** Signatures for the given outputs, or the change as a cashuB token (absent when there is none). */
  change: { signatures: BlindSignature[] } | { token: string | null }
  replayed: boolean
}

export interface RefundOutcome {
  refund: Refund
  /** The price as a cashuB token, for the payer. */
  token: string
  /** True when the receipt had been refunded before: the same token again. */
  replayed: boolean
}

export interface HoldOptions extends Omit<RedeemOptions, 'amount' | 'whole'> {
  /** The most the service may keep: charged now, the rest of the token comes back as change. */
  max: bigint
  /** How long until an unsettled hold settles by `onExpiry`. */
  ttlSeconds: bigint
  /** Keep all, or give all back, when it expires unsettled (default return). */
  onExpiry?: 'keep' | 'return' | undefined
}

export interface HoldResult {
  hold: Hold
  /** The hold's receipt: what was charged (the most you may keep). */
  receipt: Receipt
  /** Give it to the payer: it collects what the hold gives back at the mint, without you. */
  claim: string
  change: RedeemResult['change']
  replayed: boolean
}

export interface SettleOutcome {
  hold: Hold
  /** What went back to the payer, as a token (null when all was kept); the same on every call. */
  token: string | null
  replayed: boolean
}

export interface Redeemer {
  redeem(token: string, options: RedeemOptions): Promise<RedeemResult>
  /** Gives a receipt's price (or `amount` of it) back, once: asking again returns the same token. */
  refund(
    receiptId: string,
    options?: { reason?: string | undefined; amount?: bigint | undefined },
  ): Promise<RefundOutcome>
  /** Takes a token for the most you may keep, until you settle it (a deposit, a metered price). */
  hold(token: string, options: HoldOptions): Promise<HoldResult>
  /** Keeps `keep` of a hold and gives the rest back, once: asking again answers the first settlement. */
  settle(holdId: string, options: { keep: bigint }): Promise<SettleOutcome>
}
