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
  Proof,
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

const Change = z.union([
  z.object({ signatures: z.array(BlindSignature) }),
  z.object({ token: z.string().nullable() }),
])

const ReceiptBody = z.object({
  id: z.string(),
  unit: z.string(),
  amount: z.bigint(),
  inputAmount: z.bigint(),
  fee: z.bigint(),
  change: z.bigint(),
  memo: z.string().nullable(),
  createdAt: z.bigint(),
})

export const RedeemResponseBody = z.object({
  receipt: ReceiptBody,
  change: Change,
  replayed: z.boolean(),
})

export const RefundRequestBody = z.object({
  reason: optionalField(z.string().max(1000)),
  /** Part of the price (a partial refund); default all of it. */
  amount: optionalField(z.bigint().min(0n).max(U64_MAX)),
})

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

/** `POST /v1/admin/holds`: a token taken for the most the service may keep (`max`), until it settles. */
export const HoldRequestBody = RedeemRequestBody.omit({ amount: true, whole: true }).extend({
  max: PositiveAmount,
  ttl_seconds: z
    .bigint()
    .min(1n, 'ttl_seconds must be positive')
    .max(10n ** 9n, 'ttl_seconds is too long'),
  /** What an unsettled hold does when it expires: the service keeps all, or the payer gets all back. */
  on_expiry: z.enum(['keep', 'return']).default('return'),
})

export const HoldBody = z.object({
  id: z.string(),
  unit: z.string(),
  amount: z.bigint(),
  expiresAt: z.bigint(),
  onExpiry: z.enum(['keep', 'return']),
  state: z.enum(['held', 'settled']),
  kept: z.bigint().nullable(),
  returned: z.bigint().nullable(),
})

export const HoldResponseBody = z.object({
  hold: HoldBody,
  receipt: ReceiptBody,
  /** For the payer: `POST /v1/holds/{id}/claim` with it collects what the hold gives back. */
  claim: z.string(),
  change: Change,
  replayed: z.boolean(),
})

export const SettleRequestBody = z.object({
  keep: z.bigint().min(0n, 'keep must not be negative').max(U64_MAX),
})

export const SettleResponseBody = z.object({
  hold: HoldBody,
  /** What went back to the payer, as a token (none when all was kept). */
  token: z.string().nullable(),
  replayed: z.boolean(),
})

/** `POST /v1/holds/{id}/claim` (the mint's public API): the payer's claim. */
export const ClaimRequestBody = z.object({
  secret: z.string().regex(/^[0-9a-f]{64}$/, 'secret must be 64 hex characters'),
})

export const ClaimResponseBody = z.object({ hold: HoldBody, proofs: z.array(Proof) })

/** The header carrying the caller's idempotency key. */
export const IDEMPOTENCY_KEY = 'Idempotency-Key'
