/**
 * NUT-05 (melt tokens), NUT-23 (bolt11), NUT-15 (multi-path partial amounts), NUT-08 (change for
 * overpaid fees) and the async melt switch `prefer_async`.
 */
import { z } from 'zod'
import { BlindedMessage, BlindSignature, Proof } from './nut00.ts'
import { amount, hex, list, optionalField, quoteId, timestamp, unit } from './primitives.ts'

export const MeltQuoteState = z.enum(['UNPAID', 'PENDING', 'PAID'])
export type MeltQuoteState = z.output<typeof MeltQuoteState>

export const PostMeltQuoteBolt11Request = z.object({
  request: z.string().min(1, 'request must not be empty').max(8192, 'request is too long'),
  unit,
  options: optionalField(
    z.object({
      /** NUT-15: pay only this part of the invoice; other mints pay the rest. */
      mpp: optionalField(z.object({ amount: amount.min(1n) })),
      /** NUT-23: the amount to pay an invoice that has none. */
      amountless: optionalField(z.object({ amount_msat: amount.min(1n) })),
    }),
  ),
})
export type PostMeltQuoteBolt11Request = z.output<typeof PostMeltQuoteBolt11Request>

export const MeltQuoteBolt11Response = z.object({
  quote: quoteId,
  request: z.string(),
  amount,
  unit,
  /** The payment method (`bolt11`), as on mint quotes. */
  method: optionalField(z.string()),
  fee_reserve: amount,
  state: MeltQuoteState,
  expiry: timestamp,
  payment_preimage: z.string().nullable().optional(),
  change: z.array(BlindSignature).nullable().optional(),
})
export type MeltQuoteBolt11Response = z.output<typeof MeltQuoteBolt11Response>

export const PostMeltRequest = z.object({
  quote: quoteId,
  inputs: list(Proof, 'inputs').min(1, 'inputs must not be empty'),
  /** NUT-08: blank outputs for the unused fee reserve. */
  outputs: optionalField(list(BlindedMessage, 'outputs')),
  /** Return at once with state PENDING instead of waiting for the payment. */
  prefer_async: optionalField(z.boolean()),
})
export type PostMeltRequest = z.output<typeof PostMeltRequest>

export const PaymentPreimage = hex(32, 'payment_preimage')
