import { describe, expect, it } from 'vitest'
import { fromMsatCeil, parseRate, rateFromBtcPrice, rateOf, toMsatCeil, toMsatFloor } from './prices.ts'

describe('unit prices', () => {
  it('prices sat and msat natively and refuses other units without a rate source', async () => {
    expect(await rateOf('sat', undefined)).toEqual({ msat: 1000n, per: 1n })
    expect(await rateOf('msat', undefined)).toEqual({ msat: 1n, per: 1n })
    await expect(rateOf('usd', undefined)).rejects.toMatchObject({ code: 11013 })
    const failing = { rate: async () => Promise.reject(new Error('feed down')) }
    await expect(rateOf('usd', failing)).rejects.toThrow('no Lightning price for usd right now: feed down')
    await expect(rateOf('usd', { rate: async () => ({ msat: 0n, per: 1n }) })).rejects.toMatchObject({
      code: 11013,
    })
  })

  it('turns a price per bitcoin into an exact rate, in cents with a scale of 100', () => {
    // 97,000.12 USD per BTC: one cent is 10^11 msat / 9,700,012 cents.
    const rate = rateFromBtcPrice('97000.12', 100n)
    expect(rate).toEqual({ msat: 10_000_000_000_000n, per: 970_001_200n })
    expect(toMsatCeil(100n, rate)).toBe(1_030_927n) // $1.00 = 1030.927 sat, rounded up
    expect(() => rateFromBtcPrice('-1')).toThrow()
    expect(() => rateFromBtcPrice('0')).toThrow('zero')
  })

  it('rounds in the mint’s favour both ways', () => {
    const third = { msat: 1000n, per: 3n } // 3 units cost 1 sat
    expect(toMsatCeil(1n, third)).toBe(334n)
    expect(toMsatFloor(1n, third)).toBe(333n)
    expect(fromMsatCeil(334n, third)).toBe(2n)
    expect(fromMsatCeil(333n, third)).toBe(1n)
    expect(parseRate('1000/3')).toEqual(third)
  })
})
