/**
 * NUT-00: hash_to_curve. Maps a secret to a curve point Y = PublicKey(0x02 || SHA256(msg_hash ||
 * counter)) with msg_hash = SHA256("Secp256k1_HashToCurve_Cashu_" || x) and counter a little-endian
 * u32 counting up from 0 until the candidate is on the curve. Y is also the key under which the mint
 * records a spent secret (NUT-07).
 */
import { concatBytes, sha256, utf8ToBytes } from './bytes.ts'
import type { CurveBackend } from './curve-backend.ts'

const DOMAIN_SEPARATOR = utf8ToBytes('Secp256k1_HashToCurve_Cashu_')
const MAX_COUNTER = 2 ** 16

export function hashToCurve(curve: CurveBackend, message: Uint8Array): Uint8Array {
  const messageHash = sha256(concatBytes(DOMAIN_SEPARATOR, message))
  const input = new Uint8Array(36)
  input.set(messageHash)
  const counter = new DataView(input.buffer, 32, 4)
  const candidate = new Uint8Array(33)
  candidate[0] = 0x02
  for (let i = 0; i < MAX_COUNTER; i++) {
    counter.setUint32(0, i, true)
    candidate.set(sha256(input), 1)
    if (curve.isPoint(candidate)) return candidate
  }
  throw new Error('hash_to_curve found no point')
}

/** Y for a proof's secret, which NUT-00 hashes as its UTF-8 bytes. */
export function hashSecretToCurve(curve: CurveBackend, secret: string): Uint8Array {
  return hashToCurve(curve, utf8ToBytes(secret))
}
