/**
 * What a service needs to take ecash as payment: redeem a token for a price, once, with a receipt
 * and change, and give the price back when it could not deliver. The same interface runs
 * in-process next to the mint (local-redeemer.ts) or against a mint elsewhere over its admin API
 * (remote-redeemer.ts).
 */
import type { Receipt, Refund } from '@cashu-mint/core/mint'
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

export interface Redeemer {
  redeem(token: string, options: RedeemOptions): Promise<RedeemResult>
  /** Gives a receipt's price back, once: asking again returns the same token. */
  refund(receiptId: string, options?: { reason?: string | undefined }): Promise<RefundOutcome>
}
