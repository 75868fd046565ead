/**
 * NUT-24 for Hono: a route with a price answers 402 with an `X-Cashu` header holding a NUT-18
 * payment request (amount, unit, the accepted mint), and serves the request once it is retried
 * with a cashuB token in `X-Cashu` that the redeemer accepts. The token is redeemed before the
 * handler runs; the receipt is on the context (`c.get('cashuReceipt')`) and any change goes back
 * in `X-Cashu-Change` (a cashuB token). A token that is not good enough (wrong unit, too little,
 * already spent, another mint) gets a 400 `{detail, code}`, as NUT-24 asks.
 *
 * Each request redeems with its own idempotency key and retries a failed call once with it, so a
 * lost answer from a remote mint neither loses the payment nor lets the token pay twice.
 *
 * With `privateKey` the payment request asks for ecash locked to the payee's key (NUT-10/11 P2PK
 * in the request's `nut10`), and the paywall signs those proofs before redeeming them: a token
 * copied on its way (a proxy's log, a leaked header) is worth nothing to anyone else.
 *
 * The receipt id goes back in `X-Cashu-Receipt`. When the handler fails (it throws or answers 5xx;
 * `refundWhen` decides otherwise), the price is refunded and `X-Cashu-Change` carries the change
 * and the refund together, so a failed request costs the payer nothing but the input fee.
 */

import { p2pkPublicKey, signLockedProofs } from '@cashu-mint/core/conditions'
import type { Receipt } from '@cashu-mint/core/mint'
import { ErrorCode, MintError } from '@cashu-mint/core/protocol'
import {
  decodeToken,
  encodePaymentRequest,
  encodeTokenV4,
  normalizeMintUrl,
  type Token,
} from '@cashu-mint/core/token'
import type { Context, MiddlewareHandler } from 'hono'
import type { Redeemer, RedeemResult } from './redeemer.ts'

export interface Price {
  amount: bigint
  unit: string
}

export interface PaywallOptions {
  redeemer: Redeemer
  /** The mint tokens must come from (its public URL). */
  mintUrl: string
  /** A fixed price, or one computed per request. */
  price: Price | ((c: Context) => Price | Promise<Price>)
  /** Shown to the payer in the payment request. */
  description?: string
  /** The payee's secp256k1 key (hex): payers lock to its public key, the paywall signs (SIG_INPUTS). */
  privateKey?: string
  /** Whether a paid request that was not served gets its price back. Default: it threw or answered 5xx. */
  refundWhen?: (c: Context) => boolean
  /** Told when such a refund could not be made (the payer has the receipt id). Default: console.error. */
  onRefundError?: (error: unknown, receiptId: string) => void
}

const failed = (c: Context) => c.error !== undefined || c.res.status >= 500
const logRefundError = (error: unknown, receiptId: string) =>
  console.error(`cashu paywall: could not refund receipt ${receiptId}: ${(error as Error).message}`)

declare module 'hono' {
  interface ContextVariableMap {
    cashuReceipt: Receipt
  }
}

const refuse = (c: Context, code: number, detail: string) => c.json({ detail, code }, 400)

/** Runs an idempotent call, and once more if its answer was lost rather than refused. */
async function twice<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt()
  } catch (error) {
    if (error instanceof MintError) throw error
    return attempt()
  }
}

/** One token holding the proofs of both (same mint and unit). */
function joinTokens(first: string | null, second: string): string {
  if (first === null) return second
  const a = decodeToken(first)
  return encodeTokenV4({ ...a, proofs: [...a.proofs, ...decodeToken(second).proofs] })
}

export function cashuPaywall(options: PaywallOptions): MiddlewareHandler {
  const mint = normalizeMintUrl(options.mintUrl)
  const { privateKey } = options
  const lock = privateKey === undefined ? undefined : { k: 'P2PK', d: p2pkPublicKey(privateKey) }
  return async (c, next) => {
    const price = typeof options.price === 'function' ? await options.price(c) : options.price
    const token = c.req.header('X-Cashu')?.trim()
    if (!token) {
      const request = encodePaymentRequest({
        a: price.amount,
        u: price.unit,
        m: [mint],
        ...(options.description ? { d: options.description } : {}),
        ...(lock ? { nut10: lock } : {}),
      })
      c.header('X-Cashu', request)
      return c.json({ detail: `payment required: ${price.amount} ${price.unit}`, code: 402 }, 402)
    }
    let paid: Token
    try {
      paid = decodeToken(token)
    } catch (error) {
      return refuse(c, ErrorCode.MALFORMED_REQUEST, `token: invalid token: ${(error as Error).message}`)
    }
    if (normalizeMintUrl(paid.mint) !== mint)
      return refuse(c, ErrorCode.MALFORMED_REQUEST, `tokens are accepted from ${mint} only`)
    const unlocked =
      privateKey === undefined
        ? token
        : encodeTokenV4({ ...paid, proofs: signLockedProofs(paid.proofs, privateKey) })
    let result: RedeemResult
    const key = crypto.randomUUID()
    try {
      result = await twice(() => options.redeemer.redeem(unlocked, { ...price, key }))
    } catch (error) {
      if (error instanceof MintError) return refuse(c, error.code, error.message)
      return c.json({ detail: 'the payment could not be checked now; try again', code: 0 }, 503)
    }
    const { receipt } = result
    const change = 'token' in result.change ? result.change.token : null
    c.set('cashuReceipt', receipt)
    c.header('X-Cashu-Receipt', receipt.id)
    if (change) c.header('X-Cashu-Change', change)
    await next()
    if (!(options.refundWhen ?? failed)(c)) return
    const reason = `${c.req.method} ${c.req.path} answered ${c.res.status}`
    try {
      const refund = await twice(() => options.redeemer.refund(receipt.id, { reason }))
      c.header('X-Cashu-Change', joinTokens(change, refund.token))
    } catch (error) {
      // The payer keeps the receipt id and can claim the refund from the operator.
      ;(options.onRefundError ?? logRefundError)(error, receipt.id)
    }
  }
}
