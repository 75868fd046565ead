/**
 * NUT-11 for the holder of a key: signs the proofs locked to it (P2PK, main pathway, SIG_INPUTS)
 * so they can be spent, adding a BIP-340 signature over SHA-256 of the secret to each witness.
 * Proofs that are not locked to the key, or are SIG_ALL (whose signature covers outputs not yet
 * known), are left as they are: the mint then refuses them or takes them as they are.
 */
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, hexToBytes, utf8ToBytes } from '../crypto/bytes.ts'
import { readLock } from './lock.ts'
import { parseWellKnownSecret } from './secret.ts'
import { parseWitness } from './witness.ts'

/** The compressed public key (hex) that payers lock to. */
export const p2pkPublicKey = (privateKey: string): string =>
  bytesToHex(secp256k1.getPublicKey(hexToBytes(privateKey), true))

function lockedTo(secret: string, publicKey: string): boolean {
  try {
    const wellKnown = parseWellKnownSecret(secret)
    if (wellKnown?.kind !== 'P2PK') return false
    const lock = readLock(wellKnown)
    return lock.sigflag === 'SIG_INPUTS' && lock.pubkeys.includes(publicKey)
  } catch {
    return false
  }
}

export function signLockedProofs<P extends { secret: string; witness?: string | undefined }>(
  proofs: readonly P[],
  privateKey: string,
): P[] {
  const publicKey = p2pkPublicKey(privateKey)
  const key = hexToBytes(privateKey)
  return proofs.map((proof) => {
    if (!lockedTo(proof.secret, publicKey)) return proof
    const signature = bytesToHex(schnorr.sign(sha256(utf8ToBytes(proof.secret)), key))
    const witness = parseWitness(proof.witness)
    return {
      ...proof,
      witness: JSON.stringify({ ...witness, signatures: [...witness.signatures, signature] }),
    }
  })
}
