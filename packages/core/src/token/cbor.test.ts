import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type CborValue, decodeCbor, encodeCbor } from './cbor.ts'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'))

const value: fc.Arbitrary<CborValue> = fc.letrec<{ v: CborValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }),
    fc.string(),
    fc.uint8Array({ maxLength: 40 }),
    fc.constantFrom(true, false, null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 5 }), tie('v'), { maxKeys: 4 }),
  ),
})).v

describe('CBOR subset', () => {
  it('encodes RFC 8949 examples byte for byte', () => {
    expect(hex(encodeCbor(0n))).toBe('00')
    expect(hex(encodeCbor(23n))).toBe('17')
    expect(hex(encodeCbor(24n))).toBe('1818')
    expect(hex(encodeCbor(1000n))).toBe('1903e8')
    expect(hex(encodeCbor(2n ** 64n - 1n))).toBe('1bffffffffffffffff')
    expect(hex(encodeCbor(-1000n))).toBe('3903e7')
    expect(hex(encodeCbor('IETF'))).toBe('6449455446')
    expect(hex(encodeCbor([1n, [2n, 3n]]))).toBe('8201820203')
    expect(hex(encodeCbor({ a: 1n, b: [2n, 3n] }))).toBe('a26161016162820203')
  })

  it('decodes indefinite-length items', () => {
    expect(decodeCbor(fromHex('9f018202039f0405ffff'))).toEqual([1n, [2n, 3n], [4n, 5n]])
    expect(decodeCbor(fromHex('bf61610161629f0203ffff'))).toEqual({ a: 1n, b: [2n, 3n] })
    expect(decodeCbor(fromHex('7f657374726561646d696e67ff'))).toBe('streaming')
    expect(decodeCbor(fromHex('5f42010243030405ff'))).toEqual(fromHex('0102030405'))
  })

  it('round-trips any value', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(decodeCbor(encodeCbor(v))).toEqual(v)
      }),
    )
  })

  it('rejects truncation, trailing bytes, floats, tags and oversized lengths', () => {
    expect(() => decodeCbor(fromHex('1903'))).toThrow(/end of input/)
    expect(() => decodeCbor(fromHex('0000'))).toThrow(/trailing/)
    expect(() => decodeCbor(fromHex('fb3ff199999999999a'))).toThrow(/float/)
    expect(() => decodeCbor(fromHex('c11a514b67b0'))).toThrow(/tags/)
    expect(() => decodeCbor(fromHex('9bffffffffffffffff'))).toThrow(/length/)
    expect(() => decodeCbor(fromHex('a10101'))).toThrow(/keys must be text/)
  })

  it('never throws anything but an Error on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeCbor(bytes)
        } catch (error) {
          expect(error).toBeInstanceOf(Error)
        }
      }),
    )
  })
})
