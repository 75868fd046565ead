/**
 * The JSON of `POST /v1/admin/redeem` and `POST /v1/admin/receipts/{id}/refund` (the mint's admin
 * listener), shared by the routes that serve them and the remote redeemer that calls them.
 * Integers are exact (lossless JSON, bigint).
 */
import {
  BlindedMessage,
  BlindSignature,
  MAX_ARRAY_LENGTH,
  optionalField,
  U64_MAX,
} from '@cashu-mint/core/protocol'
import { z } from 'zod'

/** A price or credit: a positive u64. Also used by the mint's other admin requests. */
export const PositiveAmount = z.bigint().min(1n, 'amount must be positive').max(U64_MAX, 'amount exceeds u64')
/** A unit as the mint configures them: lowercase. Also used by the mint's other admin requests. */
export const UnitName = z
  .string()
  .max(32, 'unit is too long')
  .regex(/^[a-z0-9_]+$/, 'unit must be a lowercase name')

export const RedeemRequestBody = z.object({
  token: z.string().min(1, 'token is empty').max(1_000_000, 'token is too long'),
  amount: PositiveAmount,
  unit: UnitName,
  memo: optionalField(z.string().max(1000)),
  outputs: optionalField(z.array(BlindedMessage).max(MAX_ARRAY_LENGTH)),
  /** Charge the token's whole worth, at least `amount` (no change). */
  whole: optionalField(z.boolean()),
})

export const RedeemResponseBody = z.object({
  receipt: z.object({
    id: z.string(),
    unit: z.string(),
    amount: z.bigint(),
    inputAmount: z.bigint(),
    fee: z.bigint(),
    change: z.bigint(),
    memo: z.string().nullable(),
    createdAt: z.bigint(),
  }),
  change: z.union([
    z.object({ signatures: z.array(BlindSignature) }),
    z.object({ token: z.string().nullable() }),
  ]),
  replayed: z.boolean(),
})

export const RefundRequestBody = z.object({ reason: optionalField(z.string().max(1000)) })

export const RefundResponseBody = z.object({
  refund: z.object({
    id: z.string(),
    receiptId: z.string(),
    unit: z.string(),
    amount: z.bigint(),
    reason: z.string().nullable(),
    createdAt: z.bigint(),
  }),
  token: z.string(),
  replayed: z.boolean(),
})

/** The header carrying the caller's idempotency key. */
export const IDEMPOTENCY_KEY = 'Idempotency-Key'
