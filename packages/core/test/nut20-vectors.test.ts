/** NUT-20 test vectors: the signed message of a locked mint request, a valid and an invalid signature. */

import { sha256 } from '@noble/hashes/sha2.js'
import { describe, expect, it } from 'vitest'
import { bytesToHex, hexToBytes } from '../src/crypto/bytes.ts'
import {
  legacyQuoteDigest,
  v1QuoteDigest,
  verifyMintQuoteSignature,
} from '../src/crypto/mint-quote-signature.ts'
import vectors from './vectors/nut20-vectors.json' with { type: 'json' }

const outputsOf = (request: typeof vectors.valid.request) =>
  request.outputs.map((o) => ({ amount: BigInt(o.amount), B_: o.B_ }))

describe('NUT-20 vectors', () => {
  it('signs quote || B_0 || ... as UTF-8 (the legacy message)', () => {
    const { request, expectedMessageBytes } = vectors.valid
    const message = request.quote + request.outputs.map((o) => o.B_).join('')
    expect([...new TextEncoder().encode(message)]).toEqual(expectedMessageBytes)
    expect(legacyQuoteDigest(request.quote, outputsOf(request))).toEqual(
      sha256(Uint8Array.from(expectedMessageBytes)),
    )
  })

  it('accepts the valid signature', () => {
    const { request } = vectors.valid
    expect(
      verifyMintQuoteSignature(vectors.pubkey, request.quote, outputsOf(request), request.signature),
    ).toBe(true)
  })

  it('refuses the invalid signature, and the valid one on other outputs', () => {
    const { request } = vectors.invalid
    expect(
      verifyMintQuoteSignature(vectors.pubkey, request.quote, outputsOf(request), request.signature),
    ).toBe(false)
    const valid = vectors.valid.request
    expect(
      verifyMintQuoteSignature(vectors.pubkey, valid.quote, outputsOf(valid).slice(1), valid.signature),
    ).toBe(false)
  })

  it.each(vectors.amendedV1.cases)(
    'Cashu_MintQuoteSig_v1 form: $description',
    ({ quote, outputs, sha256: digest, signature, ...rest }) => {
      const outs = outputs.map((o) => ({ amount: BigInt(o.amount), B_: o.B_ }))
      expect(bytesToHex(v1QuoteDigest(quote, outs))).toBe(digest)
      if ('messageHex' in rest) expect(bytesToHex(sha256(hexToBytes(rest.messageHex as string)))).toBe(digest)
      expect(verifyMintQuoteSignature(vectors.amendedV1.pubkey, quote, outs, signature)).toBe(true)
      expect(verifyMintQuoteSignature(vectors.amendedV1.pubkey, `${quote}x`, outs, signature)).toBe(false)
    },
  )
})
