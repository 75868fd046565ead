/** BIP-340 Schnorr verification for NUT-11/14 witnesses and NUT-20 quote signatures. */
import { schnorr } from '@noble/curves/secp256k1.js'
import { hexToBytes } from './bytes.ts'

const SIGNATURE = /^[0-9a-fA-F]{128}$/
const COMPRESSED_KEY = /^0[23][0-9a-fA-F]{64}$/

/**
 * Whether the hex `signature` signs the 32-byte `digest` for the hex compressed `pubkey`; the key's
 * parity byte is ignored, as BIP-340 keys are x-only. Never throws.
 */
export function verifySchnorr(signature: string, digest: Uint8Array, pubkey: string): boolean {
  if (!SIGNATURE.test(signature) || !COMPRESSED_KEY.test(pubkey)) return false
  try {
    return schnorr.verify(hexToBytes(signature), digest, hexToBytes(pubkey.slice(2)))
  } catch {
    return false
  }
}
