/**
 * NUT-11/14 witnesses: `{"signatures": [hex...], "preimage"?: hex}` serialized as a JSON string in
 * `Proof.witness`. Signatures are BIP-340 Schnorr over SHA-256 of the message, checked against each
 * candidate key's x-coordinate; what counts is the number of distinct keys with a valid signature.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '../crypto/bytes.ts'
import { verifySchnorr } from '../crypto/schnorr.ts'

export interface Witness {
  signatures: string[]
  preimage?: string
}

/** The parsed witness, or an empty one when absent or unreadable (which then fails the lock). */
export function parseWitness(witness: string | undefined): Witness {
  if (witness === undefined) return { signatures: [] }
  let value: unknown
  try {
    value = JSON.parse(witness)
  } catch {
    return { signatures: [] }
  }
  if (typeof value !== 'object' || value === null) return { signatures: [] }
  const { signatures, preimage } = value as Record<string, unknown>
  return {
    signatures: Array.isArray(signatures) ? signatures.filter((s): s is string => typeof s === 'string') : [],
    ...(typeof preimage === 'string' ? { preimage } : {}),
  }
}

/** How many of `keys` have a valid signature on `message` among `signatures`. */
export function countValidSigners(
  keys: readonly string[],
  signatures: readonly string[],
  message: string,
): number {
  const digest = sha256(utf8ToBytes(message))
  return keys.filter((key) => signatures.some((signature) => verifySchnorr(signature, digest, key))).length
}
