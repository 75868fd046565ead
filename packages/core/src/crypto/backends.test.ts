import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  blindMessage,
  signBlindedMessage,
  unblindSignature,
  verifyProofDleq,
  verifyUnblinded,
} from './bdhke.ts'
import { bytesToHex, hexToBytes } from './bytes.ts'
import { CURVE_ORDER, compressPoint, isValidScalar } from './curve-backend.ts'
import { verifyDleq } from './dleq.ts'
import { nobleBackend } from './noble-backend.ts'
import { selectCurveBackend } from './select-backend.ts'

// The native addon is built at install; a machine where it did not build must fail here, not skip.
const native = selectCurveBackend('native')
const backends = [native, nobleBackend]

const scalarBytes = (value: bigint) => {
  const hex = value.toString(16).padStart(64, '0')
  return Uint8Array.from(Buffer.from(hex, 'hex'))
}
const scalar = fc.bigInt({ min: 1n, max: CURVE_ORDER - 1n }).map(scalarBytes)

describe('curve backends agree', () => {
  it('native is libsecp256k1 and noble is pure JS', () => {
    expect(native.name).toBe('native')
    expect(nobleBackend.name).toBe('noble')
  })

  /** The result as hex, or "refused" when the operation throws (a zero point or scalar). */
  const outcome = (operation: () => Uint8Array) => {
    try {
      return bytesToHex(operation())
    } catch {
      return 'refused'
    }
  }

  it('k*G, k*P, P+Q, -P and a+b*c are identical in both backends', () => {
    fc.assert(
      fc.property(scalar, scalar, scalar, (a, b, c) => {
        const P = native.multiplyBase(a)
        expect(bytesToHex(nobleBackend.multiplyBase(a))).toBe(bytesToHex(P))
        expect(bytesToHex(nobleBackend.multiply(P, b))).toBe(bytesToHex(native.multiply(P, b)))
        const Q = native.multiplyBase(c)
        // P + Q is the point at infinity when c = -a (fast-check tries n-1 and 1): both must refuse it.
        expect(outcome(() => nobleBackend.add(P, compressPoint(Q)))).toBe(outcome(() => native.add(P, Q)))
        expect(bytesToHex(nobleBackend.negate(P))).toBe(bytesToHex(native.negate(P)))
        expect(outcome(() => nobleBackend.scalarMulAdd(a, b, c))).toBe(
          outcome(() => native.scalarMulAdd(a, b, c)),
        )
        expect(bytesToHex(nobleBackend.decompress(compressPoint(P)))).toBe(bytesToHex(P))
      }),
      { numRuns: 50 },
    )
    // The counterexample CI found: a = n-1, c = 1, so P = -G and P + G is infinity.
    const minusOne = scalarBytes(CURVE_ORDER - 1n)
    const one = scalarBytes(1n)
    expect(outcome(() => native.add(native.multiplyBase(minusOne), native.multiplyBase(one)))).toBe('refused')
    expect(
      outcome(() => nobleBackend.add(native.multiplyBase(minusOne), compressPoint(native.multiplyBase(one)))),
    ).toBe('refused')
  })

  it.each(backends)('$name rejects zero and out-of-range scalars and non-points', (curve) => {
    const G = curve.multiplyBase(scalarBytes(1n))
    expect(() => curve.multiply(G, new Uint8Array(32))).toThrow()
    expect(() => curve.multiply(G, scalarBytes(CURVE_ORDER))).toThrow()
    expect(() => curve.multiplyBase(new Uint8Array(32))).toThrow()
    const notAPoint = new Uint8Array(33).fill(0xff)
    notAPoint[0] = 0x02
    expect(curve.isPoint(notAPoint)).toBe(false)
    expect(() => curve.multiply(notAPoint, scalarBytes(2n))).toThrow()
    expect(() => curve.add(G, curve.negate(G))).toThrow()
    expect(isValidScalar(scalarBytes(CURVE_ORDER - 1n))).toBe(true)
  })
})

describe('scalars and hex', () => {
  const asBigInt = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`)
  const nearOrder = fc.bigInt({ min: CURVE_ORDER - 300n, max: (1n << 256n) - 1n }).map(scalarBytes)
  it('a scalar is valid exactly when 0 < it < n', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), nearOrder), (bytes) => {
        const value = asBigInt(bytes)
        expect(isValidScalar(bytes)).toBe(value > 0n && value < CURVE_ORDER)
      }),
    )
    for (const edge of [0n, 1n, CURVE_ORDER - 1n, CURVE_ORDER, CURVE_ORDER + 1n])
      expect(isValidScalar(scalarBytes(edge))).toBe(edge > 0n && edge < CURVE_ORDER)
    expect(isValidScalar(new Uint8Array(31).fill(1))).toBe(false)
  })
  it('hex round-trips, reads either case and refuses anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const hex = bytesToHex(bytes)
        expect(hex).toBe(Buffer.from(bytes).toString('hex'))
        expect(hexToBytes(hex)).toEqual(bytes)
        expect(hexToBytes(hex.toUpperCase())).toEqual(bytes)
      }),
    )
    expect(bytesToHex(new Uint8Array([0, 1, 2, 255]).subarray(1, 3))).toBe('0102')
    for (const bad of ['0', 'abc', 'zz', '0g', ' 00', '00 ', '0x00'])
      expect(() => hexToBytes(bad), bad).toThrow('hex')
  })
})

describe.each(backends)('BDHKE round trip on $name', (curve) => {
  it('blind, sign, unblind, verify, with a DLEQ that checks for Alice and Carol', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), scalar, scalar, (secret, k, r) => {
        const K = curve.multiplyBase(k)
        const B_ = blindMessage(curve, secret, r)
        const { C_, dleq } = signBlindedMessage(curve, k, K, B_)
        expect(verifyDleq(curve, dleq, K, B_, C_)).toBe(true)
        const C = unblindSignature(curve, C_, r, K)
        expect(verifyUnblinded(curve, k, secret, C)).toBe(true)
        expect(verifyProofDleq(curve, { secret, C, dleq: { ...dleq, r } }, K)).toBe(true)
        // A different key, secret or challenge must not verify.
        const twoK = curve.scalarMulAdd(k, scalarBytes(1n), k)
        expect(verifyUnblinded(curve, twoK, secret, C)).toBe(false)
        expect(verifyUnblinded(curve, k, `${secret}x`, C)).toBe(false)
        const tampered = { e: dleq.s, s: dleq.e }
        expect(verifyDleq(curve, tampered, K, B_, C_)).toBe(false)
      }),
      { numRuns: curve.name === 'native' ? 100 : 10 },
    )
  })

  it('signing is deterministic: the same B_ gets the same C_ and DLEQ (NUT-09 restore)', () => {
    const k = Uint8Array.from(randomBytes(32))
    const K = curve.multiplyBase(k)
    const B_ = blindMessage(curve, 'restore me', Uint8Array.from(randomBytes(32)))
    const first = signBlindedMessage(curve, k, K, B_)
    const second = signBlindedMessage(curve, k, compressPoint(K), B_)
    expect(bytesToHex(second.C_)).toBe(bytesToHex(first.C_))
    expect(bytesToHex(second.dleq.e)).toBe(bytesToHex(first.dleq.e))
    expect(bytesToHex(second.dleq.s)).toBe(bytesToHex(first.dleq.s))
  })
})
