/**
 * NUT-24 for Fastify: a `preHandler` hook that answers 402 until the request carries ecash in
 * `X-Cashu`, redeemed before the handler runs (payment-gate.ts has the rules), and an `onSend` hook
 * that refunds the price when the answer is a 5xx (a handler that threw gets one from Fastify),
 * putting the change and the refund in `X-Cashu-Change`. Metered (`price.metered`), the handler
 * says what the request cost with `paywall.meter(request, cost)`, and `onSend` settles for that. Typed by shape, so this package does not
 * depend on Fastify:
 *
 *   const paywall = cashuFastifyPaywall({ redeemer, mintUrl, price: { amount: 5n, unit: 'sat' } })
 *   app.get('/joke', { preHandler: paywall.preHandler, onSend: paywall.onSend }, handler)
 *   // in the handler: paywall.receiptOf(request)
 */
import type { Receipt } from '@cashu-mint/core/mint'
import { createPaymentGate, type Payment, type PaymentGateOptions, type Price } from './payment-gate.ts'
import { logRefundError } from './paywall.ts'

/** What the hooks use of a Fastify request. */
export interface FastifyRequestShape {
  headers: Record<string, string | string[] | undefined>
  method: string
  url: string
}

/** What the hooks use of a Fastify reply. */
export interface FastifyReplyShape {
  statusCode: number
  code(status: number): FastifyReplyShape
  header(name: string, value: string): FastifyReplyShape
  send(payload?: unknown): FastifyReplyShape
}

export interface FastifyPaywallOptions extends PaymentGateOptions {
  /** A fixed price, or one computed per request. */
  price: Price | ((request: FastifyRequestShape) => Price | Promise<Price>)
  /** Told when a refund could not be made (the payer has the receipt id). Default: console.error. */
  onRefundError?: (error: unknown, receiptId: string) => void
}

export interface FastifyPaywall {
  /** Metered: what this request cost, at most the price (unsaid: the whole price). */
  meter(request: FastifyRequestShape, cost: bigint): void
  preHandler(request: FastifyRequestShape, reply: FastifyReplyShape): Promise<FastifyReplyShape | undefined>
  onSend(request: FastifyRequestShape, reply: FastifyReplyShape, payload: unknown): Promise<unknown>
  /** The receipt of a paid request, in its handler. */
  receiptOf(request: FastifyRequestShape): Receipt | undefined
}

export function cashuFastifyPaywall(options: FastifyPaywallOptions): FastifyPaywall {
  const gate = createPaymentGate(options)
  const payments = new WeakMap<FastifyRequestShape, Payment>()
  const metered = new WeakMap<FastifyRequestShape, { max: bigint; cost?: bigint }>()
  const setHeaders = (reply: FastifyReplyShape, headers: Record<string, string>) => {
    for (const [name, value] of Object.entries(headers)) reply.header(name, value)
  }
  return {
    async preHandler(request, reply) {
      const price = typeof options.price === 'function' ? await options.price(request) : options.price
      const header = request.headers['x-cashu']
      const charge = await gate.charge(Array.isArray(header) ? header[0] : header, price)
      if (!charge.paid) {
        setHeaders(reply, charge.headers)
        return reply.code(charge.status).send(charge.body)
      }
      payments.set(request, charge)
      if (price.metered) metered.set(request, { max: price.amount })
      setHeaders(reply, charge.headers)
      return undefined
    },
    async onSend(request, reply, payload) {
      const payment = payments.get(request)
      const meter = metered.get(request)
      if (!payment || (reply.statusCode < 500 && !meter)) return payload
      payments.delete(request)
      try {
        setHeaders(
          reply,
          reply.statusCode >= 500
            ? await payment.refund(`${request.method} ${request.url} answered ${reply.statusCode}`)
            : await payment.settle(meter?.cost ?? meter?.max ?? 0n),
        )
      } catch (error) {
        ;(options.onRefundError ?? logRefundError)(error, payment.receipt.id)
      }
      return payload
    },
    receiptOf: (request) => payments.get(request)?.receipt,
    meter(request, cost) {
      const meter = metered.get(request)
      if (!meter) throw new Error('meter is for requests behind a metered price')
      meter.cost = cost
    },
  }
}
