import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isPowerOfTwo, splitAmount, sumAmounts, U64_MAX } from './amount.ts'
import { inputFee } from './fees.ts'

describe('amounts', () => {
  it('splits any u64 into distinct powers of two that sum to it', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: U64_MAX }), (amount) => {
        const parts = splitAmount(amount)
        expect(sumAmounts(parts)).toBe(amount)
        expect(parts.every(isPowerOfTwo)).toBe(true)
        expect(new Set(parts).size).toBe(parts.length)
        expect(parts).toEqual([...parts].sort((a, b) => (a < b ? -1 : 1)))
      }),
    )
  })

  it('splits the largest amount into 64 parts', () => {
    expect(splitAmount(U64_MAX)).toHaveLength(64)
    expect(splitAmount(0n)).toEqual([])
    expect(splitAmount(13n)).toEqual([1n, 4n, 8n])
  })

  it('refuses totals and amounts outside u64', () => {
    expect(() => sumAmounts([U64_MAX, 1n])).toThrow(RangeError)
    expect(() => splitAmount(U64_MAX + 1n)).toThrow(RangeError)
    expect(() => splitAmount(-1n)).toThrow(RangeError)
  })
})

describe('NUT-02 input fees', () => {
  it('rounds the summed ppk up once: ceil(sum / 1000)', () => {
    expect(inputFee([])).toBe(0n)
    expect(inputFee([100n])).toBe(1n)
    expect(inputFee(Array(10).fill(100n))).toBe(1n)
    expect(inputFee(Array(11).fill(100n))).toBe(2n)
    expect(inputFee([1000n, 1n])).toBe(2n)
    expect(inputFee([0n, 0n])).toBe(0n)
  })

  it('matches the ceiling formula for any fees', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10_000n }), { maxLength: 50 }), (fees) => {
        const total = fees.reduce((a, b) => a + b, 0n)
        const fee = inputFee(fees)
        expect(fee * 1000n >= total).toBe(true)
        expect((fee - 1n) * 1000n < total || fee === 0n).toBe(true)
      }),
    )
  })

  it('refuses negative fees', () => {
    expect(() => inputFee([-1n])).toThrow(RangeError)
  })
})
