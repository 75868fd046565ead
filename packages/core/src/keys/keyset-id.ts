/**
 * NUT-02: keyset ids, derived from public data so wallets can check them.
 * - v2 (`01`): "01" + hex(SHA256("amount:pubkey,..." + "|unit:<unit>" [+ "|input_fee_ppk:<n>"]
 *   [+ "|final_expiry:<t>"])), fee and expiry only when non-zero; 33 bytes.
 * - v1 (`00`, deprecated, still needed by wallets on old cashu-ts): "00" + the first 14 hex of
 *   SHA256(concatenated compressed keys); 8 bytes.
 * Keys are sorted by amount as integers, never as strings.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '../crypto/bytes.ts'

/** Public keys by amount, as compressed hex. */
export type PublicKeysByAmount = ReadonlyMap<bigint, string>

export interface KeysetIdInput {
  keys: PublicKeysByAmount
  unit: string
  inputFeePpk?: bigint | undefined
  finalExpiry?: bigint | undefined
}

export type KeysetIdVersion = '00' | '01'

function sortedEntries(keys: PublicKeysByAmount): [bigint, string][] {
  return [...keys].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

export function keysetIdV1(keys: PublicKeysByAmount): string {
  const concatenated = concatBytes(...sortedEntries(keys).map(([, key]) => hexToBytes(key)))
  return `00${bytesToHex(sha256(concatenated)).slice(0, 14)}`
}

/**
 * `keepZeroExpiry`: a final expiry of 0 stays in the preimage (`|final_expiry:0`), where NUT-02 leaves
 * it out. Nutshell 0.21 names the keysets its management RPC rotates in that way; a mint imported
 * from it keeps those ids, since its wallets hold ecash under them.
 */
export function keysetIdV2(
  { keys, unit, inputFeePpk, finalExpiry }: KeysetIdInput,
  keepZeroExpiry = false,
): string {
  let preimage = sortedEntries(keys)
    .map(([amount, key]) => `${amount}:${key.toLowerCase()}`)
    .join(',')
  preimage += `|unit:${unit.toLowerCase()}`
  if (inputFeePpk) preimage += `|input_fee_ppk:${inputFeePpk}`
  if (finalExpiry || (keepZeroExpiry && finalExpiry === 0n)) preimage += `|final_expiry:${finalExpiry}`
  return `01${bytesToHex(sha256(utf8ToBytes(preimage)))}`
}

export function deriveKeysetId(version: KeysetIdVersion, input: KeysetIdInput): string {
  return version === '00' ? keysetIdV1(input.keys) : keysetIdV2(input)
}
