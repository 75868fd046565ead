/**
 * NUT-00: blind Diffie-Hellman key exchange. The mint signs C_ = k*B_ and later checks k*Y == C for
 * Y = hash_to_curve(secret). The wallet half (blind, unblind, and NUT-12's check of a received
 * proof) lives here too, for the service-provider toolkit and for tests.
 */
import { equalBytes } from './bytes.ts'
import { type CurveBackend, compressPoint } from './curve-backend.ts'
import { createDleq, type Dleq, verifyDleq } from './dleq.ts'
import { hashSecretToCurve } from './hash-to-curve.ts'

export interface BlindSignature {
  /** Compressed. */
  C_: Uint8Array
  dleq: Dleq
}

/**
 * C_ = k*B_ with its DLEQ proof. `publicKey` is K = k*G from the keyset and `blindedMessage` B_,
 * each in either form; keysets keep K uncompressed, and the engine passes B_ uncompressed as its
 * check on the curve found it, so signing decompresses nothing.
 */
export function signBlindedMessage(
  curve: CurveBackend,
  privateKey: Uint8Array,
  publicKey: Uint8Array,
  blindedMessage: Uint8Array,
): BlindSignature {
  const A = publicKey.length === 65 ? publicKey : curve.decompress(publicKey)
  const B_ = blindedMessage.length === 65 ? blindedMessage : curve.decompress(blindedMessage)
  const C_ = curve.multiply(B_, privateKey)
  return { C_: compressPoint(C_), dleq: createDleq(curve, privateKey, A, B_, C_) }
}

/** The mint's check of an unblinded signature when Y = hash_to_curve(secret) is known: k*Y == C. */
export function verifyWithY(
  curve: CurveBackend,
  privateKey: Uint8Array,
  Y: Uint8Array,
  C: Uint8Array,
): boolean {
  return C.length === 33 && equalBytes(compressPoint(curve.multiply(Y, privateKey)), C)
}

/** The mint's check of an unblinded signature from its secret. */
export function verifyUnblinded(curve: CurveBackend, privateKey: Uint8Array, secret: string, C: Uint8Array) {
  return verifyWithY(curve, privateKey, hashSecretToCurve(curve, secret), C)
}

/** Wallet: B_ = Y + r*G (compressed). */
export function blindMessage(curve: CurveBackend, secret: string, r: Uint8Array): Uint8Array {
  return compressPoint(curve.add(hashSecretToCurve(curve, secret), curve.multiplyBase(r)))
}

/** Wallet: C = C_ - r*K (compressed). */
export function unblindSignature(curve: CurveBackend, C_: Uint8Array, r: Uint8Array, publicKey: Uint8Array) {
  return compressPoint(curve.add(C_, curve.negate(curve.multiply(publicKey, r))))
}

/**
 * Carol's check of a proof received with its DLEQ and blinding factor r (NUT-12): rebuild
 * B_ = Y + r*G and C_ = C + r*A, then check the mint's proof.
 */
export function verifyProofDleq(
  curve: CurveBackend,
  proof: { secret: string; C: Uint8Array; dleq: Dleq & { r: Uint8Array } },
  publicKey: Uint8Array,
): boolean {
  try {
    const B_ = blindMessage(curve, proof.secret, proof.dleq.r)
    const C_ = curve.add(proof.C, curve.multiply(publicKey, proof.dleq.r))
    return verifyDleq(curve, proof.dleq, publicKey, B_, C_)
  } catch {
    return false
  }
}
