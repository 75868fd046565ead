import { secp256k1 } from '@noble/curves/secp256k1.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { createSignedRequest, createUnsignedRequest } from 'invoices'
import { describe, expect, it } from 'vitest'
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '../crypto/bytes.ts'
import { encodeBolt11 } from '../testing/encode-bolt11.ts'
import { Bolt11AmountError, Bolt11Error, type Bolt11Invoice, decodeBolt11 } from './bolt11.ts'
import vectors from './bolt11-vectors.json' with { type: 'json' }

// BOLT 11's example node key: every example in the spec is signed with it.
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

type Expected = (typeof vectors.valid)[number]['expected']

/** The fixture's expectation (numbers as decimal strings) in the decoder's shape. */
function asInvoice(expected: Expected): Bolt11Invoice {
  const { amountMsat, timestamp, expirySeconds, minFinalCltvExpiry, ...rest } = expected as Expected & {
    amountMsat?: string
    description?: string
    descriptionHash?: string
  }
  return {
    description: undefined,
    descriptionHash: undefined,
    ...rest,
    network: rest.network as Bolt11Invoice['network'],
    amountMsat: amountMsat === undefined ? undefined : BigInt(amountMsat),
    timestamp: BigInt(timestamp),
    expirySeconds: BigInt(expirySeconds),
    minFinalCltvExpiry: BigInt(minFinalCltvExpiry),
  }
}

/**
 * An invoice with any human-readable part, signed with the example key: the spec has no example
 * for some prefixes this decoder must refuse.
 */
function signedWithPrefix(hrp: string, fields: { payment?: string } = { payment: '11'.repeat(32) }): string {
  const unsigned = createUnsignedRequest({ network: 'bitcoin', id: hash, description: '', ...fields })
  const data = hexToBytes(unsigned.preimage).subarray(unsigned.hrp.length)
  const signature = secp256k1.sign(sha256(concatBytes(utf8ToBytes(hrp), data)), NODE_KEY, { prehash: false })
  return createSignedRequest({
    destination: NODE_ID,
    hrp,
    signature: bytesToHex(signature),
    tags: unsigned.tags,
  }).request
}

describe('BOLT 11 examples (bolt11-vectors.json)', () => {
  it.each(vectors.valid)('decodes: $description', ({ invoice, expected }) => {
    expect(decodeBolt11(invoice)).toEqual(asInvoice(expected))
  })

  it.each(vectors.invalid)('refuses: $description', ({ invoice }) => {
    expect(() => decodeBolt11(invoice)).toThrow(Bolt11Error)
  })
})

describe('BOLT 11 decoding', () => {
  it('accepts the lightning: URI prefix in either case', () => {
    const [coffee] = vectors.valid.filter((v) => v.expected.expirySeconds === '60')
    const invoice = coffee?.invoice as string
    expect(decodeBolt11(`lightning:${invoice}`)).toEqual(decodeBolt11(invoice))
    expect(decodeBolt11(`LIGHTNING:${invoice.toUpperCase()}`)).toEqual(decodeBolt11(invoice))
  })

  it('tells an amountless invoice from one for zero, and refuses a missing payment secret', () => {
    expect(decodeBolt11(signedWithPrefix('lnbc')).amountMsat).toBeUndefined()
    expect(decodeBolt11(signedWithPrefix('lnbc10n')).amountMsat).toBe(1000n)
    expect(() => decodeBolt11(signedWithPrefix('lnbc0n'))).toThrow(/positive/)
    expect(() => decodeBolt11(signedWithPrefix('lnbc10n', {}))).toThrow(/payment secret/)
    expect(() => decodeBolt11(signedWithPrefix('lnsb10n'))).toThrow(/network simnet/)
    expect(decodeBolt11(signedWithPrefix('lnbcrt10n')).network).toBe('regtest')
    expect(decodeBolt11(signedWithPrefix('lntbs10n')).network).toBe('signet')
  })

  it('tells an amount beyond what it reads (over 90 million bitcoin) from a malformed invoice', () => {
    const huge = encodeBolt11({ ...base, amountMsat: 2n ** 62n * 1000n })
    expect(() => decodeBolt11(huge)).toThrow(Bolt11AmountError)
    expect(() => decodeBolt11(huge)).toThrow('more than 21 million bitcoin')
    expect(decodeBolt11(encodeBolt11({ ...base, amountMsat: 2n ** 62n })).amountMsat).toBe(2n ** 62n)
  })

  it('refuses tampered, truncated and foreign strings', () => {
    const text = encodeBolt11({ ...base, amountMsat: 1000n })
    // Changing the amount in the prefix breaks the checksum.
    expect(() => decodeBolt11(text.replace('lnbc10n', 'lnbc20n'))).toThrow(/checksum/)
    expect(() => decodeBolt11('lnbc1qqqq')).toThrow()
    expect(() => decodeBolt11('not an invoice')).toThrow(/not a valid BOLT 11 invoice/)
    expect(() => decodeBolt11('lnxy1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcy')).toThrow()
  })
})
