/**
 * NUT-24 for Hono: a route with a price answers 402 until it is retried with ecash in `X-Cashu`,
 * which is redeemed before the handler runs (payment-gate.ts has the rules). The receipt is on the
 * context (`c.get('cashuReceipt')`). When the handler fails (it throws or answers 5xx; `refundWhen`
 * decides otherwise), the price is refunded and `X-Cashu-Change` carries the change and the refund.
 *
 * Metered (`price.metered`): the price is the most a request may cost; the handler says what it
 * cost with `c.set('cashuCost', amount)` (no cost said: the whole price), and the rest comes back in
 * `X-Cashu-Change`.
 */
import type { Receipt } from '@cashu-mint/core/mint'
import type { Context, MiddlewareHandler } from 'hono'
import { createPaymentGate, type PaymentGateOptions, type Price } from './payment-gate.ts'

export interface PaywallOptions extends PaymentGateOptions {
  /** A fixed price, or one computed per request. */
  price: Price | ((c: Context) => Price | Promise<Price>)
  /** Whether a paid request that was not served gets its price back. Default: it threw or answered 5xx. */
  refundWhen?: (c: Context) => boolean
  /** Told when such a refund could not be made (the payer has the receipt id). Default: console.error. */
  onRefundError?: (error: unknown, receiptId: string) => void
}

const failed = (c: Context) => c.error !== undefined || c.res.status >= 500
export const logRefundError = (error: unknown, receiptId: string) =>
  console.error(`cashu paywall: could not refund receipt ${receiptId}: ${(error as Error).message}`)

declare module 'hono' {
  interface ContextVariableMap {
    cashuReceipt: Receipt
    /** Metered: what this request cost, at most the price. */
    cashuCost: bigint
  }
}

export function cashuPaywall(options: PaywallOptions): MiddlewareHandler {
  const gate = createPaymentGate(options)
  return async (c, next) => {
    const price = typeof options.price === 'function' ? await options.price(c) : options.price
    const charge = await gate.charge(c.req.header('X-Cashu'), price)
    if (!charge.paid) return c.json(charge.body, charge.status, charge.headers)
    c.set('cashuReceipt', charge.receipt)
    for (const [name, value] of Object.entries(charge.headers)) c.header(name, value)
    await next()
    const refund = (options.refundWhen ?? failed)(c)
    if (!refund && !price.metered) return
    try {
      const headers = refund
        ? await charge.refund(`${c.req.method} ${c.req.path} answered ${c.res.status}`)
        : await charge.settle(c.get('cashuCost') ?? price.amount)
      for (const [name, value] of Object.entries(headers)) c.header(name, value)
    } catch (error) {
      // The payer keeps the receipt id and can claim the refund from the operator.
      ;(options.onRefundError ?? logRefundError)(error, charge.receipt.id)
    }
  }
}
