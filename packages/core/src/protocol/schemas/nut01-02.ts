/**
 * NUT-01 (mint public keys) and NUT-02 (keysets and fees): the responses of /v1/keys,
 * /v1/keys/{id} and /v1/keysets.
 */
import { z } from 'zod'
import { keysetId, point, timestamp, u64, unit } from './primitives.ts'

/** Public keys by amount; JSON object keys are the amounts as decimal strings. */
export const Keys = z.record(
  z.string().regex(/^(?:0|[1-9][0-9]*)$/, 'key amounts must be integers'),
  point('public key'),
)

export const Keyset = z.object({
  id: keysetId,
  unit,
  /** Present in newer responses; wallets treat a missing value as active. */
  active: z.boolean().optional(),
  keys: Keys,
  input_fee_ppk: u64.nullable().optional(),
  final_expiry: timestamp.nullable().optional(),
})
export type Keyset = z.output<typeof Keyset>

export const GetKeysResponse = z.object({ keysets: z.array(Keyset) })
export type GetKeysResponse = z.output<typeof GetKeysResponse>

export const KeysetInfo = z.object({
  id: keysetId,
  unit,
  active: z.boolean(),
  input_fee_ppk: u64.nullable().optional(),
  final_expiry: timestamp.nullable().optional(),
})
export type KeysetInfo = z.output<typeof KeysetInfo>

export const GetKeysetsResponse = z.object({ keysets: z.array(KeysetInfo) })
export type GetKeysetsResponse = z.output<typeof GetKeysetsResponse>
