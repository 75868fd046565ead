import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hexToBytes } from '../crypto/bytes.ts'
import { decodeBolt11 } from '../lightning/bolt11.ts'
import { encodeBolt11 } from './encode-bolt11.ts'

// BOLT 11's example node key, so the payee is the one the spec's examples name.
const NODE_KEY = hexToBytes('e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734')
const NODE_ID = '03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad'

const hash = '0001020304050607080900010203040506070809000102030405060708090102'
const base = {
  network: 'bitcoin' as const,
  timestamp: 1_700_000_000n,
  expirySeconds: 600n,
  paymentHash: hash,
  paymentSecret: '11'.repeat(32),
  nodeKey: NODE_KEY,
}

describe('BOLT 11 encoding for fake backends and tests', () => {
  it('encodes amounts the way wallets expect (lnbc13370n.. for 1337 sat) and decodes them back', () => {
    const text = encodeBolt11({ ...base, amountMsat: 1_337_000n, description: 'top up' })
    expect(text.startsWith('lnbc13370n1')).toBe(true)
    const invoice = decodeBolt11(text)
    expect(invoice).toMatchObject({
      amountMsat: 1_337_000n,
      description: 'top up',
      payee: NODE_ID,
      paymentHash: hash,
      expirySeconds: 600n,
      timestamp: 1_700_000_000n,
    })
    expect(decodeBolt11(encodeBolt11({ ...base, amountMsat: 100_000_000_000n })).amountMsat).toBe(
      100_000_000_000n,
    )
    expect(encodeBolt11({ ...base, amountMsat: 1n }).startsWith('lnbc10p1')).toBe(true)
  })

  it('round-trips any amount on every network', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 21_000_000n * 100_000_000_000n }),
        fc.constantFrom('bitcoin', 'testnet', 'signet', 'regtest' as const),
        (amountMsat, network) => {
          const invoice = decodeBolt11(encodeBolt11({ ...base, network, amountMsat }))
          expect(invoice.amountMsat).toBe(amountMsat)
          expect(invoice.network).toBe(network)
        },
      ),
      { numRuns: 30 },
    )
  })

  it('always writes a description field, empty when none is given, as BOLT 11 requires d or h', () => {
    const invoice = decodeBolt11(encodeBolt11({ ...base, amountMsat: 1000n }))
    expect(invoice.description).toBe('')
    expect(invoice.descriptionHash).toBeUndefined()
  })

  it('writes amountless invoices, the defaults LND expects, and refuses a zero amount', () => {
    const invoice = decodeBolt11(encodeBolt11(base))
    expect(invoice).toMatchObject({
      amountMsat: undefined,
      minFinalCltvExpiry: 18n,
      paymentSecret: '11'.repeat(32),
    })
    expect(() => encodeBolt11({ ...base, amountMsat: 0n })).toThrow(/positive/)
  })
})
