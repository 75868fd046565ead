/**
 * NUT-06 `pubkey`: the mint's public key, derived from the seed the way Nutshell derives it
 * (sha256(UTF-8 seed) as the private key), so a mint moved between the two keeps the key wallets
 * know it by. It signs nothing here; it identifies the mint and stays the same across restarts.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '../crypto/bytes.ts'
import { type CurveBackend, compressPoint, isValidScalar } from '../crypto/curve-backend.ts'
import { type MintSeed, seedBytes } from './seed.ts'

export function mintPublicKey(curve: CurveBackend, seed: MintSeed): string {
  const privateKey = sha256(seedBytes(seed))
  if (!isValidScalar(privateKey)) throw new Error('the seed gives no valid mint key')
  return bytesToHex(compressPoint(curve.multiplyBase(privateKey)))
}
