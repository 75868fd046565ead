import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { U64_MAX } from '../protocol/amount.ts'
import { decodeToken } from './decode-token.ts'
import { resolveKeysetIds, type Token, tokenAmount } from './token.ts'
import { encodeTokenV3 } from './token-v3.ts'
import { decodeTokenV4Binary, encodeTokenV4, encodeTokenV4Binary } from './token-v4.ts'

const hex = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'))
const keysetId = fc.oneof(
  hex(7).map((h) => `00${h}`),
  hex(32).map((h) => `01${h}`),
)
const proof = fc.record({
  amount: fc.bigInt({ min: 1n, max: U64_MAX }),
  id: keysetId,
  secret: fc.string({ minLength: 1, maxLength: 80 }),
  C: hex(32).map((h) => `02${h}`),
})
const token: fc.Arbitrary<Token> = fc.record({
  mint: fc.constantFrom('https://mint.example', 'http://localhost:3338', 'https://a.b/path'),
  unit: fc.constantFrom('sat', 'usd', 'credit'),
  memo: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  proofs: fc.array(proof, { minLength: 1, maxLength: 6 }),
})

/** V4 groups proofs by keyset; compare as multisets in keyset order. */
const byKeyset = (t: Token) => [...t.proofs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

describe('token codecs', () => {
  it('V3 round-trips any token', () => {
    fc.assert(
      fc.property(token, (t) => {
        expect(decodeToken(encodeTokenV3(t))).toEqual(t)
        expect(tokenAmount(t)).toBe(t.proofs.reduce((sum, p) => sum + p.amount, 0n))
      }),
    )
  })

  it('V4 round-trips any token, with short v2 ids resolved against the keyset list', () => {
    fc.assert(
      fc.property(token, (t) => {
        const ids = [...new Set(t.proofs.map((p) => p.id))]
        const decoded = resolveKeysetIds(decodeToken(encodeTokenV4(t)), ids)
        expect({ ...decoded, proofs: byKeyset(decoded) }).toEqual({ ...t, proofs: byKeyset(t) })
        const full = decodeToken(encodeTokenV4(t, { shortKeysetIds: false }))
        expect(byKeyset(full)).toEqual(byKeyset(t))
        expect(byKeyset(decodeTokenV4Binary(encodeTokenV4Binary(t, { shortKeysetIds: false })))).toEqual(
          byKeyset(t),
        )
      }),
    )
  })

  it('accepts the cashu: URI prefix and refuses unknown versions and garbage', () => {
    const t: Token = {
      mint: 'https://m',
      unit: 'sat',
      proofs: [{ amount: 1n, id: '009a1f293253e41e', secret: 's', C: `02${'11'.repeat(32)}` }],
    }
    expect(decodeToken(`cashu:${encodeTokenV4(t)}`).proofs).toEqual(t.proofs)
    expect(() => decodeToken('cashuCabc')).toThrow(/version/)
    expect(() => decodeToken('cashuB!!!')).toThrow()
    expect(() => decodeToken('cashuAbm90IGpzb24')).toThrow()
  })

  it('refuses a V4 token whose amount is a float, even one equal to an integer', () => {
    const t: Token = {
      mint: 'https://m',
      unit: 'sat',
      proofs: [{ amount: 1n, id: '009a1f293253e41e', secret: 's', C: `02${'11'.repeat(32)}` }],
    }
    const bytes = Buffer.from(encodeTokenV4Binary(t)).toString('hex')
    expect(bytes).toContain('616101')
    const float = Uint8Array.from(Buffer.from(bytes.replace('616101', '6161f93c00'), 'hex'))
    expect(() => decodeTokenV4Binary(float)).toThrow(/float/)
  })

  it('refuses ambiguous and unknown short ids', () => {
    const shortId = '01aaaaaaaaaaaaaa'
    const t: Token = {
      mint: 'https://m',
      unit: 'sat',
      proofs: [{ amount: 1n, id: shortId, secret: 's', C: `02${'11'.repeat(32)}` }],
    }
    expect(() => resolveKeysetIds(t, [`${shortId}${'1'.repeat(50)}`, `${shortId}${'2'.repeat(50)}`])).toThrow(
      /ambiguous/,
    )
    expect(() => resolveKeysetIds(t, [])).toThrow(/unknown/)
  })
})
