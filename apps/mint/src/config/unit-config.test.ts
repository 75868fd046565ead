import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { loadConfig, unitsOf } from './config.ts'
import { rateSourceFor } from './rate-sources.ts'
import { parseUnits } from './unit-config.ts'

describe('unit configuration', () => {
  it('defaults to the single CASHU_MINT_UNIT', () => {
    expect(unitsOf(loadConfig({ CASHU_MINT_UNIT: 'msat', CASHU_MINT_INPUT_FEE_PPK: '7' }))).toEqual([
      {
        unit: 'msat',
        inputFeePpk: 7n,
        mint: true,
        melt: true,
        minAmount: undefined,
        maxAmount: undefined,
        rate: undefined,
      },
    ])
  })

  it('closes Lightning for units without a price unless told otherwise, and refuses contradictions', () => {
    const units = parseUnits(
      '[{"unit":"sat"},{"unit":"credit","input_fee_ppk":100},{"unit":"usd","rate":{"msat_per_unit":"12.5"},"melt":false}]',
    )
    expect(units.map((u) => [u.unit, u.mint, u.melt, u.inputFeePpk])).toEqual([
      ['sat', true, true, 0n],
      ['credit', false, false, 100n],
      ['usd', true, false, 0n],
    ])
    expect(() => parseUnits('[{"unit":"credit","mint":true}]')).toThrow(
      'credit: mint over Lightning needs a "rate"',
    )
    expect(() => parseUnits('[{"unit":"sat"},{"unit":"sat"}]')).toThrow('sat is listed twice')
    expect(() => loadConfig({ CASHU_MINT_UNITS: '[{"unit":"USD"}]' })).toThrow(
      /CASHU_MINT_UNITS: 0.unit: must be a lowercase/,
    )
    expect(() => loadConfig({ CASHU_MINT_UNITS: 'sat' })).toThrow(/CASHU_MINT_UNITS: is not JSON/)
  })

  it('prices units at a fixed rate or from an HTTP feed, and refuses a failing feed', async () => {
    let answer: unknown = { data: { amount: '50000' } }
    let status = 200
    let requests = 0
    const feed = createServer((_, response) => {
      requests++
      response.statusCode = status
      response.end(JSON.stringify(answer))
    })
    await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/`
    try {
      const source = rateSourceFor(
        parseUnits(
          JSON.stringify([
            { unit: 'eur', rate: { msat_per_unit: '12.5' } },
            { unit: 'usd', rate: { url, path: 'data.amount', scale: 100, max_age_seconds: 60 } },
            { unit: 'credit' },
          ]),
        ),
      )
      expect(await source?.rate('eur')).toEqual({ msat: 125n, per: 10n })
      // 50,000 USD per BTC: a cent is 10^11 / 5,000,000 = 20,000 msat.
      expect(await source?.rate('usd')).toEqual({ msat: 100_000_000_000n, per: 5_000_000n })
      await source?.rate('usd')
      expect(requests).toBe(1) // cached
      await expect(source?.rate('credit')).rejects.toThrow('no rate configured for credit')
      const fresh = rateSourceFor(
        parseUnits(JSON.stringify([{ unit: 'usd', rate: { url, path: 'data.amount' } }])),
      )
      status = 503
      await expect(fresh?.rate('usd')).rejects.toThrow('price feed answered 503')
      status = 200
      answer = { data: { amount: 'a lot' } }
      await expect(fresh?.rate('usd')).rejects.toThrow('not a price')
      expect(rateSourceFor(parseUnits('[{"unit":"sat"}]'))).toBeUndefined()
    } finally {
      await new Promise((resolve) => feed.close(resolve))
    }
  })
})
