/** NUT-00 test vectors (cashubtc/nuts tests/00-tests.md), on both curve backends. */
import { describe, expect, it } from 'vitest'
import { bytesToHex, hexToBytes } from '../src/crypto/bytes.ts'
import { compressPoint } from '../src/crypto/curve-backend.ts'
import { hashToCurve } from '../src/crypto/hash-to-curve.ts'
import { nobleBackend } from '../src/crypto/noble-backend.ts'
import { selectCurveBackend } from '../src/crypto/select-backend.ts'
import { decodeToken } from '../src/token/decode-token.ts'
import type { Token } from '../src/token/token.ts'
import { encodeTokenV3 } from '../src/token/token-v3.ts'
import { decodeTokenV4Binary, encodeTokenV4, encodeTokenV4Binary } from '../src/token/token-v4.ts'
import vectors from './vectors/nut00-vectors.json' with { type: 'json' }

interface V4Json {
  t: { i: string; p: { a: number; s: string; c: string }[] }[]
  d?: string
  m: string
  u: string
}

/** The vector's CBOR-as-JSON token in the decoded Token shape. */
function fromV4Json(json: V4Json): Token {
  return {
    mint: json.m,
    unit: json.u,
    memo: json.d,
    proofs: json.t.flatMap((group) =>
      group.p.map((p) => ({ amount: BigInt(p.a), id: group.i, secret: p.s, C: p.c })),
    ),
  }
}

const unpadded = (text: string) => text.replace(/=+$/, '')

describe.each([selectCurveBackend('native'), nobleBackend])('NUT-00 vectors on $name', (curve) => {
  it.each(vectors.hashToCurve)('hash_to_curve($message)', ({ message, point }) => {
    expect(bytesToHex(hashToCurve(curve, hexToBytes(message)))).toBe(point)
  })

  it.each(vectors.blindedMessages)('B_ = Y + r*G for x = $x', ({ x, r, B_ }) => {
    const Y = hashToCurve(curve, hexToBytes(x))
    expect(bytesToHex(compressPoint(curve.add(Y, curve.multiplyBase(hexToBytes(r)))))).toBe(B_)
  })

  it.each(vectors.blindSignatures)('C_ = k*B_ for k = $k', ({ k, B_, C_ }) => {
    expect(bytesToHex(compressPoint(curve.multiply(hexToBytes(B_), hexToBytes(k))))).toBe(C_)
  })
})

describe('NUT-00 token vectors', () => {
  it('serializes the V3 token exactly and decodes it back', () => {
    const { token, serialized } = vectors.tokenV3Serialization
    const [entry] = token.token
    const decoded = decodeToken(serialized)
    expect(decoded).toEqual({
      mint: entry?.mint,
      unit: token.unit,
      memo: token.memo,
      proofs: entry?.proofs.map((p) => ({ ...p, amount: BigInt(p.amount) })),
    })
    expect(encodeTokenV3(decoded)).toBe(unpadded(serialized))
  })

  it.each(vectors.tokenV3Invalid)('refuses a V3 token with $description', ({ serialized }) => {
    expect(() => decodeToken(serialized)).toThrow()
  })

  it.each(vectors.tokenV3Valid)('decodes a valid V3 token ($description)', ({ serialized }) => {
    const decoded = decodeToken(serialized)
    expect(decoded.mint).toBe('https://8333.space:3338')
    expect(decoded.proofs.map((p) => p.amount)).toEqual([2n, 8n])
  })

  it.each(vectors.tokenV4Serialization)(
    'V4, $description: decodes and re-encodes byte for byte',
    ({ token, serialized }) => {
      const expected = fromV4Json(token as V4Json)
      expect(decodeToken(serialized)).toEqual(expected)
      expect(encodeTokenV4(expected)).toBe(unpadded(serialized))
    },
  )

  it('V4 raw binary form', () => {
    const expected = fromV4Json(vectors.tokenV4Raw.token as V4Json)
    expect(bytesToHex(encodeTokenV4Binary(expected))).toBe(vectors.tokenV4Raw.rawHex)
    expect(decodeTokenV4Binary(hexToBytes(vectors.tokenV4Raw.rawHex))).toEqual(expected)
    expect(() => decodeTokenV4Binary(hexToBytes('00'))).toThrow(/crawB/)
  })
})
