/** NUT-12 test vectors: hash_e, the deterministic nonce, and DLEQ checks on signatures and proofs. */
import { describe, expect, it } from 'vitest'
import { signBlindedMessage, verifyProofDleq } from '../src/crypto/bdhke.ts'
import { bytesToHex, hexToBytes } from '../src/crypto/bytes.ts'
import { createDleq, hashE, verifyDleq } from '../src/crypto/dleq.ts'
import { nobleBackend } from '../src/crypto/noble-backend.ts'
import { selectCurveBackend } from '../src/crypto/select-backend.ts'
import vectors from './vectors/nut12-vectors.json' with { type: 'json' }

const h = hexToBytes

describe.each([selectCurveBackend('native'), nobleBackend])('NUT-12 vectors on $name', (curve) => {
  it('hash_e over uncompressed points', () => {
    const { R1, R2, K, C_, hash } = vectors.hashE
    expect(bytesToHex(hashE([R1, R2, K, C_].map((p) => curve.decompress(h(p)))))).toBe(hash)
  })

  it('reproduces e and s exactly with the deterministic nonce', () => {
    const { a, A, B_, C_, e, s } = vectors.deterministicNonce
    const dleq = createDleq(
      curve,
      h(a),
      curve.decompress(h(A)),
      curve.decompress(h(B_)),
      curve.decompress(h(C_)),
    )
    expect(bytesToHex(dleq.e)).toBe(e)
    expect(bytesToHex(dleq.s)).toBe(s)
    expect(verifyDleq(curve, dleq, h(A), h(B_), h(C_))).toBe(true)
    // Signing B_ with a gives that C_ and the same proof.
    const signed = signBlindedMessage(curve, h(a), h(A), h(B_))
    expect(bytesToHex(signed.C_)).toBe(C_)
    expect(bytesToHex(signed.dleq.s)).toBe(s)
  })

  it('accepts the valid DLEQ of a blind signature, and nothing altered', () => {
    const { A, B_, blindSignature } = vectors.blindSignatureDleq
    const dleq = { e: h(blindSignature.dleq.e), s: h(blindSignature.dleq.s) }
    expect(verifyDleq(curve, dleq, h(A), h(B_), h(blindSignature.C_))).toBe(true)
    expect(verifyDleq(curve, { e: dleq.s, s: dleq.e }, h(A), h(B_), h(blindSignature.C_))).toBe(false)
    expect(verifyDleq(curve, dleq, h(B_), h(B_), h(blindSignature.C_))).toBe(false)
  })

  it('accepts the valid DLEQ of a proof (Carol’s check with r), and rejects a wrong r', () => {
    const { A, proof } = vectors.proofDleq
    const carol = (r: string) =>
      verifyProofDleq(
        curve,
        { secret: proof.secret, C: h(proof.C), dleq: { e: h(proof.dleq.e), s: h(proof.dleq.s), r: h(r) } },
        h(A),
      )
    expect(carol(proof.dleq.r)).toBe(true)
    expect(carol(proof.dleq.e)).toBe(false)
  })
})
