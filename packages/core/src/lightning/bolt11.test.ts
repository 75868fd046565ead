import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBolt11, encodeBolt11 } from './bolt11.ts'

// BOLT 11's example node key and its "1 cup coffee" test vector (2500u, expiry 60 s).
const NODE_KEY = Uint8Array.from(
  Buffer.from('e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734', 'hex'),
)
const NODE_ID = '03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad'
const SPEC_INVOICE =
  'lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh'

const hash = '0001020304050607080900010203040506070809000102030405060708090102'
const base = {
  network: 'bitcoin' as const,
  timestamp: 1_700_000_000n,
  expirySeconds: 600n,
  paymentHash: hash,
  paymentSecret: '11'.repeat(32),
  nodeKey: NODE_KEY,
}

describe('BOLT 11', () => {
  it('decodes a BOLT 11 example invoice and recovers its payee', () => {
    const invoice = decodeBolt11(SPEC_INVOICE)
    expect(invoice.network).toBe('bitcoin')
    expect(invoice.amountMsat).toBe(250_000_000n)
    expect(invoice.paymentHash).toBe(hash)
    expect(invoice.paymentSecret).toBe('11'.repeat(32))
    expect(invoice.description).toBe('1 cup coffee')
    expect(invoice.timestamp).toBe(1_496_314_658n)
    expect(invoice.payee).toBe(NODE_ID)
    expect(invoice.expirySeconds).toBe(60n)
    // The checksum covers the amount in the prefix.
    expect(() => decodeBolt11(SPEC_INVOICE.replace('lnbc2500u', 'lnbc'))).toThrow(/bech32/)
  })

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

  it('refuses tampered, truncated and foreign strings', () => {
    const text = encodeBolt11({ ...base, amountMsat: 1000n })
    // Changing the amount in the prefix breaks the checksum; changing data breaks the signature.
    expect(() => decodeBolt11(text.replace('lnbc10n', 'lnbc20n'))).toThrow()
    expect(() => decodeBolt11('lnbc1qqqq')).toThrow()
    expect(() => decodeBolt11('not an invoice')).toThrow(/bech32/)
    expect(() => decodeBolt11('lnxy1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcy')).toThrow()
  })
})
