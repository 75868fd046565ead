import { decode } from 'cborg'
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

describe('CBOR', () => {
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

  it('decodes indefinite-length arrays and maps, which other encoders may write, but not strings', () => {
    expect(decodeCbor(fromHex('9f018202039f0405ffff'))).toEqual([1n, [2n, 3n], [4n, 5n]])
    expect(decodeCbor(fromHex('bf61610161629f0203ffff'))).toEqual({ a: 1n, b: [2n, 3n] })
    expect(() => decodeCbor(fromHex('7f657374726561646d696e67ff'))).toThrow(/indefinite/)
    expect(() => decodeCbor(fromHex('5f42010243030405ff'))).toThrow(/indefinite/)
  })

  it('reads every integer as a bigint, u64 exactly, and keeps map keys in the order given', () => {
    expect(decodeCbor(fromHex('01'))).toBe(1n)
    expect(decodeCbor(fromHex('1b0020000000000001'))).toBe(2n ** 53n + 1n)
    expect(decodeCbor(fromHex('1bffffffffffffffff'))).toBe(2n ** 64n - 1n)
    expect(decodeCbor(fromHex('3bffffffffffffffff'))).toBe(-(2n ** 64n))
    expect(hex(encodeCbor({ b: 1n, a: 2n }))).toBe('a2616201616102')
    // cborg shares one token per small integer: turning ours into bigints must not touch it.
    expect(decode(fromHex('01'))).toBe(1)
  })

  it('round-trips any value', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(decodeCbor(encodeCbor(v))).toEqual(v)
      }),
    )
  })

  it('gives plain, unshared byte arrays, also when decoding from a Buffer', () => {
    // Seed 84134097 found it: from a Buffer, byte strings came back as Buffer views of the input.
    const input = Buffer.from('a1616143010203', 'hex')
    const { a } = decodeCbor(input) as { a: Uint8Array }
    expect(a).toEqual(Uint8Array.of(1, 2, 3))
    expect(a.constructor).toBe(Uint8Array)
    input[4] = 9
    expect(a[0]).toBe(1)
    for (const size of [9, 3000]) {
      const encoded = encodeCbor({ a: new Uint8Array(size), b: [2n ** 32n, -(2n ** 32n) - 1n] })
      expect(encoded.constructor).toBe(Uint8Array)
      expect(encoded.buffer.byteLength).toBe(encoded.length)
    }
  })

  it('rejects truncation, trailing bytes, floats, tags, undefined and oversized lengths', () => {
    expect(() => decodeCbor(fromHex('1903'))).toThrow(/not enough data/)
    expect(() => decodeCbor(fromHex('0000'))).toThrow(/too many terminals/)
    expect(() => decodeCbor(fromHex('fb3ff199999999999a'))).toThrow(/float/)
    // 1.0 as a half float: it would read as the number 1, so floats are refused before that.
    expect(() => decodeCbor(fromHex('a16161f93c00'))).toThrow(/float/)
    expect(() => decodeCbor(fromHex('c11a514b67b0'))).toThrow(/tag/)
    expect(() => decodeCbor(fromHex('f7'))).toThrow(/undefined/)
    expect(() => decodeCbor(fromHex('9bffffffffffffffff'))).toThrow(/length/)
    expect(() => decodeCbor(fromHex('a10101'))).toThrow(/keys/)
    expect(() => encodeCbor(2n ** 64n)).toThrow()
  })

  it('rejects repeated map keys, invalid UTF-8 and nesting deeper than 16', () => {
    expect(() => decodeCbor(fromHex('a2616101616102'))).toThrow(/repeat map key/)
    expect(() => decodeCbor(fromHex('62c328'))).toThrow(TypeError)
    expect(decodeCbor(fromHex('63efbfbd'))).toBe('\uFFFD')
    const nested = (depth: number): CborValue => (depth === 0 ? 0n : [nested(depth - 1)])
    expect(decodeCbor(encodeCbor(nested(16)))).toEqual(nested(16))
    expect(() => decodeCbor(encodeCbor(nested(17)))).toThrow(/nesting too deep/)
    expect(decodeCbor(fromHex(`${'9f'.repeat(16)}${'ff'.repeat(16)}`))).toBeDefined()
    expect(() => decodeCbor(fromHex(`${'9f'.repeat(17)}${'ff'.repeat(17)}`))).toThrow(/nesting too deep/)
    // Refused as it opens, long before the decoder's recursion could exhaust the stack.
    expect(() => decodeCbor(fromHex(`${'81'.repeat(100_000)}00`))).toThrow(/nesting too deep/)
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
