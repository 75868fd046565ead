import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { U64_MAX } from './amount.ts'
import { parseJson, stringifyJson } from './json.ts'

describe('lossless JSON', () => {
  it('keeps u64 amounts above 2^53 exact', () => {
    const text = '{"amount":18446744073709551615,"small":9007199254740993}'
    const value = parseJson(text) as { amount: bigint; small: bigint }
    expect(value.amount).toBe(U64_MAX)
    expect(value.small).toBe(2n ** 53n + 1n)
    expect(stringifyJson(value)).toBe(text)
  })

  it('leaves fractions and exponents as numbers so integer schemas reject them', () => {
    expect(parseJson('[1.5, 1e3, -0, 7]')).toEqual([1.5, 1000, 0n, 7n])
  })

  it('round-trips any integer', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), (n) => {
        expect(parseJson(stringifyJson({ n }))).toEqual({ n })
      }),
    )
  })

  it('throws on malformed text', () => {
    expect(() => parseJson('{"amount": }')).toThrow(SyntaxError)
  })
})
