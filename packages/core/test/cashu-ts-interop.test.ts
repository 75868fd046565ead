/**
 * @cashu/cashu-ts as the wallet against this core: it blinds, we sign, it checks the DLEQ and
 * unblinds, we verify. Also keyset ids, tokens and NUT-20 signatures across the two codebases.
 */
import { randomBytes } from 'node:crypto'
import {
  Amount,
  getDecodedToken,
  getEncodedToken,
  pointFromHex,
  signMintQuote,
  blindMessage as walletBlind,
  decodePaymentRequest as walletDecodeRequest,
  deriveKeysetId as walletKeysetId,
  unblindSignature as walletUnblind,
  verifyDLEQProof as walletVerifyDleq,
} from '@cashu/cashu-ts'
import { describe, expect, it } from 'vitest'
import { signBlindedMessage, verifyUnblinded } from '../src/crypto/bdhke.ts'
import { bytesToHex, hexToBytes } from '../src/crypto/bytes.ts'
import { compressPoint } from '../src/crypto/curve-backend.ts'
import { verifyMintQuoteSignature } from '../src/crypto/mint-quote-signature.ts'
import { nobleBackend } from '../src/crypto/noble-backend.ts'
import { selectCurveBackend } from '../src/crypto/select-backend.ts'
import { keysetIdV1, keysetIdV2 } from '../src/keys/keyset-id.ts'
import { decodeToken } from '../src/token/decode-token.ts'
import { decodePaymentRequest, encodePaymentRequest } from '../src/token/payment-request.ts'
import { encodeTokenV4 } from '../src/token/token-v4.ts'

const backends = [selectCurveBackend('native'), nobleBackend]

describe.each(backends)('cashu-ts wallet against the $name backend', (curve) => {
  it('cashu-ts blinds, we sign with DLEQ, cashu-ts verifies the DLEQ and unblinds, we verify', () => {
    for (let i = 0; i < 5; i++) {
      const k = Uint8Array.from(randomBytes(32))
      const K = compressPoint(curve.multiplyBase(k))
      const secret = bytesToHex(randomBytes(32))
      const blinded = walletBlind(new TextEncoder().encode(secret))
      const B_ = blinded.B_.toBytes(true)
      const { C_, dleq } = signBlindedMessage(curve, k, K, B_)
      const A = pointFromHex(bytesToHex(K))
      const walletC_ = pointFromHex(bytesToHex(C_))
      expect(walletVerifyDleq({ e: dleq.e, s: dleq.s }, blinded.B_, walletC_, A)).toBe(true)
      expect(walletVerifyDleq({ e: dleq.s, s: dleq.e }, blinded.B_, walletC_, A)).toBe(false)
      const C = walletUnblind(walletC_, blinded.r, A).toBytes(true)
      expect(verifyUnblinded(curve, k, secret, C)).toBe(true)
      expect(verifyUnblinded(curve, k, `${secret}0`, C)).toBe(false)
    }
  })
})

describe('keyset ids agree with cashu-ts', () => {
  const keys = new Map<bigint, string>()
  for (let i = 0n; i < 64n; i++) {
    keys.set(2n ** i, bytesToHex(compressPoint(nobleBackend.multiplyBase(Uint8Array.from(randomBytes(32))))))
  }
  const walletKeys = Object.fromEntries([...keys].map(([amount, key]) => [amount.toString(), key]))

  it('v1 (00)', () => {
    expect(keysetIdV1(keys)).toBe(walletKeysetId(walletKeys, { versionByte: 0 }))
  })

  it.each([
    [0n, undefined],
    [100n, undefined],
    [0n, 2_000_000_000n],
    [250n, 1_896_187_313n],
  ])('v2 (01) with input_fee_ppk %s and final_expiry %s', (fee, expiry) => {
    const ours = keysetIdV2({ keys, unit: 'sat', inputFeePpk: fee, finalExpiry: expiry })
    const theirs = walletKeysetId(walletKeys, {
      versionByte: 1,
      unit: 'sat',
      input_fee_ppk: Number(fee),
      ...(expiry === undefined ? {} : { expiry: Number(expiry) }),
    })
    expect(ours).toBe(theirs)
  })
})

describe('tokens cross-decode with cashu-ts', () => {
  const keysetId = `01${bytesToHex(randomBytes(32))}`
  const proofs = [1n, 2n, 2n ** 62n].map((amount) => ({
    id: keysetId,
    amount,
    secret: bytesToHex(randomBytes(32)),
    C: bytesToHex(compressPoint(nobleBackend.multiplyBase(Uint8Array.from(randomBytes(32))))),
  }))

  it('our V4 encoding decodes in cashu-ts, with short keyset ids resolved', () => {
    const encoded = encodeTokenV4({ mint: 'https://mint.example/', unit: 'sat', memo: 'thanks', proofs })
    const decoded = getDecodedToken(encoded, [keysetId])
    expect(decoded.mint).toBe('https://mint.example')
    expect(decoded.unit).toBe('sat')
    expect(decoded.memo).toBe('thanks')
    expect(decoded.proofs.map((p) => [p.id, p.amount.toBigInt(), p.secret, p.C])).toEqual(
      proofs.map((p) => [p.id, p.amount, p.secret, p.C]),
    )
  })

  it("cashu-ts's V4 encoding decodes here", () => {
    const encoded = getEncodedToken({
      mint: 'https://mint.example',
      unit: 'sat',
      proofs: proofs.map((p) => ({ ...p, amount: Amount.from(p.amount) })),
    })
    const decoded = decodeToken(encoded)
    expect(decoded.mint).toBe('https://mint.example')
    expect(decoded.proofs.map((p) => [p.amount, p.secret, p.C])).toEqual(
      proofs.map((p) => [p.amount, p.secret, p.C]),
    )
    expect(keysetId.startsWith(decoded.proofs[0]?.id ?? 'x')).toBe(true)
  })
})

describe('NUT-20 signatures from cashu-ts', () => {
  it('verifies what cashu-ts signs and nothing else', () => {
    const privkey = bytesToHex(randomBytes(32))
    const pubkey = bytesToHex(compressPoint(nobleBackend.multiplyBase(hexToBytes(privkey))))
    const outputs = [8n, 2n].map((amount) => ({
      amount,
      id: '009a1f293253e41e',
      B_: bytesToHex(compressPoint(nobleBackend.multiplyBase(Uint8Array.from(randomBytes(32))))),
    }))
    const signature = signMintQuote(
      privkey,
      'quote-1',
      outputs.map((o) => ({ ...o, amount: Amount.from(o.amount) })),
    )
    expect(verifyMintQuoteSignature(pubkey, 'quote-1', outputs, signature)).toBe(true)
    expect(verifyMintQuoteSignature(pubkey, 'quote-2', outputs, signature)).toBe(false)
    expect(verifyMintQuoteSignature(pubkey, 'quote-1', outputs.slice(1), signature)).toBe(false)
  })
})

describe('NUT-18 payment requests', () => {
  it('a request asking for P2PK-locked ecash reads the same in cashu-ts and here', () => {
    const pubkey = `02${'ab'.repeat(32)}`
    const request = {
      a: 5n,
      u: 'credit',
      m: ['https://mint.example'],
      d: 'a joke',
      nut10: { k: 'P2PK', d: pubkey, t: [['sigflag', 'SIG_INPUTS']] },
    }
    const encoded = encodePaymentRequest(request)
    const theirs = walletDecodeRequest(encoded)
    expect(theirs.amount?.toBigInt()).toBe(5n)
    expect(theirs.nut10).toMatchObject({ kind: 'P2PK', data: pubkey })
    expect(theirs.toP2PKOptions()?.pubkey).toBe(pubkey)
    expect(decodePaymentRequest(encoded)).toEqual({ ...request, i: undefined, s: undefined })
  })
})
