/** Request bodies of the admin API (admin-app.ts), also the source of its OpenAPI document. */
import { PositiveAmount, UnitName } from '@cashu-mint/accept'
import { z } from 'zod'

export const IssueRequestBody = z.object({
  amount: PositiveAmount,
  unit: UnitName,
  reference: z.string().trim().min(1, 'reference is required').max(500),
  pubkey: z
    .string()
    .regex(/^0[23][0-9a-fA-F]{64}$/, 'pubkey must be a compressed public key')
    .optional(),
  ttl_seconds: z
    .bigint()
    .min(60n)
    .max(10n * 365n * 86_400n)
    .optional(),
})

export const RotateRequestBody = z.object({
  unit: UnitName,
  input_fee_ppk: z.bigint().min(0n).max(100_000n).optional(),
  /** NUT-02 final expiry, unix seconds. */
  final_expiry: z.bigint().optional(),
})
