/**
 * NUT-12: DLEQ proofs that the mint signed B_ with the same key a that it publishes as A = a*G.
 *
 * The nonce is deterministic (HMAC-SHA256 keyed by a over "Cashu_DLEQ_R_v1" || A || B_ || C_ || ctr,
 * points uncompressed, ctr one byte counting up while r is not a valid scalar), so a broken RNG can
 * never leak a key through nonce reuse, and the same signature always carries the same proof:
 * restore (NUT-09) returns exactly what issuance returned.
 */
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, concatBytes, equalBytes, sha256, utf8ToBytes } from './bytes.ts'
import { type CurveBackend, isValidScalar } from './curve-backend.ts'

export interface Dleq {
  e: Uint8Array
  s: Uint8Array
}

const NONCE_TAG = utf8ToBytes('Cashu_DLEQ_R_v1')
const MAX_NONCE_TRIES = 256

/** hash_e: SHA256 of the concatenated hex of the uncompressed points (all given uncompressed). */
export function hashE(points: readonly Uint8Array[]): Uint8Array {
  if (points.some((point) => point.length !== 65)) throw new Error('hash_e takes uncompressed points')
  return sha256(bytesToHex(concatBytes(...points)))
}

/** The deterministic, rejection-sampled nonce r; A, B_ and C_ uncompressed. */
export function dleqNonce(privateKey: Uint8Array, A: Uint8Array, B_: Uint8Array, C_: Uint8Array): Uint8Array {
  const data = concatBytes(NONCE_TAG, A, B_, C_, new Uint8Array(1))
  for (let counter = 0; counter < MAX_NONCE_TRIES; counter++) {
    data[data.length - 1] = counter
    // noble's HMAC: node's createHmac costs three times as much on inputs this small.
    const r = hmac(nobleSha256, privateKey, data)
    if (isValidScalar(r)) return r
  }
  throw new Error('DLEQ nonce: no valid scalar in 256 tries')
}

/** The mint's proof for C_ = a*B_; A, B_ and C_ uncompressed. */
export function createDleq(
  curve: CurveBackend,
  privateKey: Uint8Array,
  A: Uint8Array,
  B_: Uint8Array,
  C_: Uint8Array,
): Dleq {
  const r = dleqNonce(privateKey, A, B_, C_)
  const e = hashE([curve.multiplyBase(r), curve.multiply(B_, r), A, C_])
  return { e, s: curve.scalarMulAdd(r, e, privateKey) }
}

/** Alice's check: R1 = s*G - e*A, R2 = s*B_ - e*C_, e == hash(R1, R2, A, C_). Points in any SEC1 form. */
export function verifyDleq(
  curve: CurveBackend,
  dleq: Dleq,
  A: Uint8Array,
  B_: Uint8Array,
  C_: Uint8Array,
): boolean {
  if (!isValidScalar(dleq.e) || !isValidScalar(dleq.s)) return false
  try {
    const R1 = curve.add(curve.multiplyBase(dleq.s), curve.negate(curve.multiply(A, dleq.e)))
    const R2 = curve.add(curve.multiply(B_, dleq.s), curve.negate(curve.multiply(C_, dleq.e)))
    return equalBytes(hashE([R1, R2, curve.decompress(A), curve.decompress(C_)]), dleq.e)
  } catch {
    return false
  }
}
