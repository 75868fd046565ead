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
 */
import type { Receipt } from '@cashu-mint/core/mint'
import { ErrorCode, MintError } from '@cashu-mint/core/protocol'
import { decodeToken, encodePaymentRequest, normalizeMintUrl } from '@cashu-mint/core/token'
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
}

declare module 'hono' {
  interface ContextVariableMap {
    cashuReceipt: Receipt
  }
}

const refuse = (c: Context, code: number, detail: string) => c.json({ detail, code }, 400)

async function redeemOnce(
  redeemer: Redeemer,
  token: string,
  price: Price,
  key: string,
): Promise<RedeemResult> {
  const attempt = () => redeemer.redeem(token, { ...price, key })
  try {
    return await attempt()
  } catch (error) {
    if (error instanceof MintError) throw error
    // The answer was lost, not refused: ask again with the same key.
    return attempt()
  }
}

export function cashuPaywall(options: PaywallOptions): MiddlewareHandler {
  const mint = normalizeMintUrl(options.mintUrl)
  return async (c, next) => {
    const price = typeof options.price === 'function' ? await options.price(c) : options.price
    const token = c.req.header('X-Cashu')?.trim()
    if (!token) {
      const request = encodePaymentRequest({
        a: price.amount,
        u: price.unit,
        m: [mint],
        ...(options.description ? { d: options.description } : {}),
      })
      c.header('X-Cashu', request)
      return c.json({ detail: `payment required: ${price.amount} ${price.unit}`, code: 402 }, 402)
    }
    let from: string
    try {
      from = normalizeMintUrl(decodeToken(token).mint)
    } catch (error) {
      return refuse(c, ErrorCode.MALFORMED_REQUEST, `invalid token: ${(error as Error).message}`)
    }
    if (from !== mint) return refuse(c, ErrorCode.MALFORMED_REQUEST, `tokens are accepted from ${mint} only`)
    let result: RedeemResult
    try {
      result = await redeemOnce(options.redeemer, token, price, crypto.randomUUID())
    } catch (error) {
      if (error instanceof MintError) return refuse(c, error.code, error.message)
      return c.json({ detail: 'the payment could not be checked now; try again', code: 0 }, 503)
    }
    c.set('cashuReceipt', result.receipt)
    if ('token' in result.change && result.change.token) c.header('X-Cashu-Change', result.change.token)
    await next()
  }
}
