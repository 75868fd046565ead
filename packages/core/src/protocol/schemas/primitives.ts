/**
 * Schema building blocks shared by the NUT wire models. Integers arrive as bigint (see json.ts);
 * hex fields are checked for length and case so a bad point or id fails at the edge with a clear
 * message instead of deep in the crypto.
 */
import { z } from 'zod'
import { U64_MAX } from '../amount.ts'

/** A u64 amount (NUT-00). */
export const amount = z.bigint().min(0n, 'amount must not be negative').max(U64_MAX, 'amount exceeds u64')

/** A non-negative integer that fits u64 but is not an amount (expiry, fee ppk, counters). */
export const u64 = amount

export const hex = (bytes: number, what: string) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`), `${what} must be ${bytes} bytes of hex`)
    .transform((value) => value.toLowerCase())

/** A compressed secp256k1 point as 33 bytes of hex; whether it is on the curve is checked later. */
export const point = (what: string) =>
  z
    .string()
    .regex(/^0[23][0-9a-fA-F]{64}$/, `${what} must be a 33-byte compressed point in hex`)
    .transform((value) => value.toLowerCase())

/** NUT-02 keyset id: v1 `00` + 7 bytes, or v2 `01` + 32 bytes. */
export const keysetId = z
  .string()
  .regex(
    /^(?:00[0-9a-fA-F]{14}|01[0-9a-fA-F]{64})$/,
    'keyset id must be a 00 (8-byte) or 01 (33-byte) hex id',
  )
  .transform((value) => value.toLowerCase())

/** A secret as a UTF-8 string (NUT-00); NUT-10 secrets are JSON in this string. */
export const MAX_SECRET_LENGTH = 4096
export const secret = z
  .string()
  .min(1, 'secret must not be empty')
  .max(MAX_SECRET_LENGTH, 'secret is too long')

export const unit = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z0-9_]+$/i, 'unit must be letters, digits or underscore')

export const quoteId = z.string().min(1, 'quote id must not be empty').max(128, 'quote id is too long')

/**
 * An optional request field: absent, or `null`, which wallets send for "absent" (Nutshell sends
 * `"witness": null` on every input); both come out as undefined. Be tolerant in what you accept.
 */
export const optionalField = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === null ? undefined : value), schema.optional())

/** Unix time in seconds. */
export const timestamp = u64

/** Request arrays are bounded at the schema so a huge body cannot reach the engine. */
export const MAX_ARRAY_LENGTH = 10_000
export const list = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item).max(MAX_ARRAY_LENGTH, `too many ${what}`)
