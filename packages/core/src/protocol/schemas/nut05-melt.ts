/**
 * NUT-05 (melt tokens), NUT-23 (bolt11), NUT-15 (multi-path partial amounts), NUT-08 (change for
 * overpaid fees) and the async melt switch `prefer_async`.
 */
import { z } from 'zod'
import { BlindedMessage, BlindSignature, Proof } from './nut00.ts'
import { amount, hex, list, quoteId, timestamp, unit } from './primitives.ts'

export const MeltQuoteState = z.enum(['UNPAID', 'PENDING', 'PAID'])
export type MeltQuoteState = z.output<typeof MeltQuoteState>

export const PostMeltQuoteBolt11Request = z.object({
  request: z.string().min(1, 'request must not be empty').max(8192, 'request is too long'),
  unit,
  options: z
    .object({
      /** NUT-15: pay only this part of the invoice; other mints pay the rest. */
      mpp: z.object({ amount: amount.min(1n) }).optional(),
      /** NUT-23: the amount to pay an invoice that has none. */
      amountless: z.object({ amount_msat: amount.min(1n) }).optional(),
    })
    .nullable()
    .optional(),
})
export type PostMeltQuoteBolt11Request = z.output<typeof PostMeltQuoteBolt11Request>

export const MeltQuoteBolt11Response = z.object({
  quote: quoteId,
  request: z.string(),
  amount,
  unit,
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
  outputs: list(BlindedMessage, 'outputs').nullable().optional(),
  /** Return at once with state PENDING instead of waiting for the payment. */
  prefer_async: z.boolean().optional(),
})
export type PostMeltRequest = z.output<typeof PostMeltRequest>

export const PaymentPreimage = hex(32, 'payment_preimage')
