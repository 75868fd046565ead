/** Request bodies of the admin API (admin-app.ts), also the source of its OpenAPI document. */
import { PositiveAmount, UnitName } from '@cashu-mint/accept'
import { optionalField } from '@cashu-mint/core/protocol'
import { z } from 'zod'

export const IssueRequestBody = z.object({
  amount: PositiveAmount,
  unit: UnitName,
  reference: z.string().trim().min(1, 'reference is required').max(500),
  pubkey: optionalField(z.string().regex(/^0[23][0-9a-fA-F]{64}$/, 'pubkey must be a compressed public key')),
  ttl_seconds: optionalField(
    z
      .bigint()
      .min(60n)
      .max(10n * 365n * 86_400n),
  ),
})

export const RotateRequestBody = z.object({
  unit: UnitName,
  input_fee_ppk: optionalField(z.bigint().min(0n).max(100_000n)),
  /** NUT-02 final expiry, unix seconds, in the future. */
  final_expiry: optionalField(z.bigint().max(2n ** 63n - 1n)),
})

/** The Idempotency-Key header of a redemption: stored with the receipt, so bounded. */
export const IdempotencyKey = z.string().min(1).max(200)

/** What the dashboard's search box sends: a quote id, a payment hash or (the beginning of) an issuance reference. */
export const SearchText = z.string().trim().min(1).max(200)
