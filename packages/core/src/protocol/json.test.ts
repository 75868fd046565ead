import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { U64_MAX } from './amount.ts'
import { jsonShape, parseJson, stringifyJson } from './json.ts'

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

  // The definition parseJson's fast path must agree with: every integer literal, by its source, a bigint.
  const reference = (text: string) =>
    JSON.parse(text, (_key, value, context?: { source?: string }) =>
      typeof value === 'number' && /^-?(?:0|[1-9][0-9]*)$/.test(context?.source ?? '')
        ? BigInt(context?.source as string)
        : value,
    )

  it('agrees with the source-text reviver on any JSON, whichever path it takes', () => {
    const texts = fc.oneof(
      fc.json(),
      fc.jsonValue().map((value) => JSON.stringify(value, null, 1)),
      fc
        .array(fc.oneof(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }), fc.integer(), fc.string()))
        .map((values) => stringifyJson(values)),
    )
    fc.assert(
      fc.property(texts, (text) => {
        expect(parseJson(text)).toEqual(reference(text))
      }),
      { numRuns: 500 },
    )
  })

  it('takes the fast path only when no number needs its source text', () => {
    const cases: [string, boolean][] = [
      ['{"secret":"1e5 1.5 12345678901234567","amount":8,"ok":true,"no":false}', false],
      ['{"s":"\\"1.5","n":123456789012345}', false],
      ['[1234567890123456]', true],
      ['[1.0]', true],
      ['[1e3]', true],
      ['[2E-1]', true],
    ]
    for (const [text, sourceNumbers] of cases) {
      expect(jsonShape(text).sourceNumbers, text).toBe(sourceNumbers)
      expect(parseJson(text)).toEqual(reference(text))
    }
    expect(jsonShape('[[{"a":[]}]]')).toEqual({ depth: 4, sourceNumbers: false })
    expect(jsonShape('[[[[[]]]]]', 2).depth).toBe(3)
  })

  it('converts a "__proto__" member without touching any prototype', () => {
    const value = parseJson('{"__proto__":5,"inner":{"__proto__":{"x":1}}}') as Record<string, unknown>
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toBe(5n)
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    const inner = value.inner as Record<string, unknown>
    expect(Object.getPrototypeOf(inner)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(inner, '__proto__')?.value).toEqual({ x: 1n })
  })

  it('parses nesting past the walk limit by the reviver, just as exactly', () => {
    const deep = `${'['.repeat(100)}9007199254740993${']'.repeat(100)}`
    let value = parseJson(deep)
    for (let i = 0; i < 100; i++) value = (value as unknown[])[0]
    expect(value).toBe(9007199254740993n)
    const deepSmall = `${'['.repeat(100)}7${']'.repeat(100)}`
    expect(parseJson(deepSmall)).toEqual(reference(deepSmall))
  })

  it('throws on malformed text', () => {
    expect(() => parseJson('{"amount": }')).toThrow(SyntaxError)
  })
})
