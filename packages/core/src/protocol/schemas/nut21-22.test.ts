import { describe, expect, it } from 'vitest'
import { ErrorCode } from '../errors.ts'
import { decodeBlindAuthToken, encodeBlindAuthToken } from './nut21-22.ts'

const proof = { id: `01${'ab'.repeat(32)}`, secret: 'f'.repeat(64), C: `02${'1'.repeat(64)}` }
const base64url = (text: string, padded: boolean) => {
  const encoded = Buffer.from(text).toString('base64url')
  return padded ? encoded.padEnd(Math.ceil(encoded.length / 4) * 4, '=') : encoded
}

describe('NUT-22 Blind-auth header', () => {
  it('decodes padded (cashu-ts, CDK) and unpadded (Nutshell) base64url alike, ignoring a null dleq', () => {
    const json = JSON.stringify({ ...proof, dleq: null })
    expect(json.length % 3).not.toBe(0)
    expect(decodeBlindAuthToken(`authA${base64url(json, true)}`)).toEqual(proof)
    expect(decodeBlindAuthToken(`authA${base64url(json, false)}`)).toEqual(proof)
    expect(decodeBlindAuthToken(encodeBlindAuthToken(proof))).toEqual(proof)
  })

  it('refuses anything else with 31002 and says why', () => {
    const refusal = (header: string) => {
      try {
        decodeBlindAuthToken(header)
      } catch (error) {
        return error as { code: number; message: string }
      }
      throw new Error(`${header} was accepted`)
    }
    expect(refusal('cashuA')).toMatchObject({
      code: ErrorCode.BLIND_AUTH_FAILED,
      message: expect.stringContaining('authA'),
    })
    expect(refusal('authA!!!').message).toContain('base64url')
    expect(refusal(`authA${base64url('{"id":', false)}`).message).toContain('JSON')
    expect(refusal(`authA${base64url('\u00ff', false).replace(/./, 'w')}`).code).toBe(
      ErrorCode.BLIND_AUTH_FAILED,
    )
    expect(refusal(`authA${base64url(JSON.stringify({ ...proof, C: '04' }), false)}`).message).toContain('C')
    expect(refusal(`authA${'A'.repeat(7000)}`).message).toContain('too long')
  })
})
