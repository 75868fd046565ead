import { describe, expect, it } from 'vitest'
import { U64_MAX } from './amount.ts'
import { ErrorCode, MintError } from './errors.ts'
import { PostSwapRequest } from './schemas/nut03.ts'
import { PostMintBatchRequest, PostMintQuoteBolt11Request, PostMintRequest } from './schemas/nut04-mint.ts'
import { PostMeltQuoteBolt11Request, PostMeltRequest } from './schemas/nut05-melt.ts'
import { PostCheckStateRequest } from './schemas/nut07-09.ts'
import { WsRequest } from './schemas/nut17-websocket.ts'
import { parseJsonRequest } from './validate.ts'

const B_ = `02${'ab'.repeat(32)}`
const C = `03${'cd'.repeat(32)}`
const swap = (inputAmount: string, outputAmount = '1') =>
  `{"inputs":[{"amount":${inputAmount},"id":"009a1f293253e41e","secret":"s","C":"${C}"}],"outputs":[{"amount":${outputAmount},"id":"009a1f293253e41e","B_":"${B_}"}]}`

function rejection(
  body: string,
  schema: Parameters<typeof parseJsonRequest>[0] = PostSwapRequest,
): MintError {
  try {
    parseJsonRequest(schema, body)
  } catch (error) {
    return error as MintError
  }
  throw new Error('accepted')
}

describe('request validation', () => {
  it('keeps u64 amounts exact, up to 2^64-1', () => {
    const parsed = parseJsonRequest(PostSwapRequest, swap(U64_MAX.toString()))
    expect(parsed.inputs[0]?.amount).toBe(U64_MAX)
    expect(parsed.outputs[0]?.B_).toBe(B_)
  })

  it.each([
    ['not JSON', '{"inputs": [', /not valid JSON/],
    ['an amount above u64', swap((U64_MAX + 1n).toString()), /inputs\.0\.amount: amount exceeds u64/],
    ['a negative amount', swap('-1'), /must not be negative/],
    ['a fractional amount', swap('1.5'), /inputs\.0\.amount/],
    ['an amount as a string', swap('"8"'), /inputs\.0\.amount/],
    ['empty outputs', `{"inputs":[],"outputs":[]}`, /must not be empty/],
    ['a B_ that is not a point', swap('1').replace(B_, 'zz'), /B_ must be a 33-byte compressed point/],
    ['a bad keyset id', swap('1').replaceAll('009a1f293253e41e', '02abc'), /keyset id/],
  ])('rejects %s with code 10000', (_, body, detail) => {
    const error = rejection(body)
    expect(error).toBeInstanceOf(MintError)
    expect(error.code).toBe(ErrorCode.MALFORMED_REQUEST)
    expect(error.detail).toMatch(detail)
    expect(error.toJSON()).toEqual({ detail: error.detail, code: 10000 })
  })

  it('validates mint quote requests and checkstate Ys', () => {
    expect(parseJsonRequest(PostMintQuoteBolt11Request, '{"amount":100,"unit":"sat"}')).toEqual({
      amount: 100n,
      unit: 'sat',
    })
    expect(rejection('{"amount":0,"unit":"sat"}', PostMintQuoteBolt11Request).detail).toMatch(/positive/)
    expect(rejection('{"amount":5,"unit":"s a t"}', PostMintQuoteBolt11Request).code).toBe(10000)
    expect(rejection('{"Ys":["02"]}', PostCheckStateRequest).detail).toMatch(/Ys\.0/)
  })

  describe('tolerant reader: null is absent, unknown fields are ignored', () => {
    const id = '009a1f293253e41e'
    const input = { amount: 1, id, secret: 's', C, witness: null, dleq: null, unknown_field: 1 }
    const output = { amount: 1, id, B_, witness: null }

    it.each([
      ['swap (Nutshell sends witness: null)', PostSwapRequest, { inputs: [input], outputs: [output] }],
      ['mint quote', PostMintQuoteBolt11Request, { amount: 5, unit: 'sat', description: null, pubkey: null }],
      ['mint', PostMintRequest, { quote: 'q', outputs: [output], signature: null }],
      [
        'batch mint',
        PostMintBatchRequest,
        { quotes: ['q'], outputs: [output], quote_amounts: null, signatures: null },
      ],
      [
        'melt quote',
        PostMeltQuoteBolt11Request,
        { request: 'lnbc1', unit: 'sat', options: { mpp: null, amountless: null }, prefer_async: false },
      ],
      [
        'melt quote without options',
        PostMeltQuoteBolt11Request,
        { request: 'lnbc1', unit: 'sat', options: null },
      ],
      ['melt', PostMeltRequest, { quote: 'q', inputs: [input], outputs: null, prefer_async: null }],
    ])('%s', (_, schema, body) => {
      const parsed = parseJsonRequest(schema, JSON.stringify(body)) as Record<string, unknown>
      const walk = (value: unknown): void => {
        if (value === null) throw new Error('a null reached the engine')
        if (typeof value === 'object') for (const v of Object.values(value as object)) walk(v)
      }
      walk(parsed)
      expect(JSON.stringify(parsed, (_, v) => (typeof v === 'bigint' ? Number(v) : v))).not.toMatch(
        /unknown_field|"witness"/,
      )
    })

    it('keeps required fields strict, naming the field', () => {
      const error = rejection(JSON.stringify({ inputs: [{ ...input, secret: null }], outputs: [output] }))
      expect(error.code).toBe(10000)
      expect(error.detail).toMatch(/^inputs\.0\.secret: /)
      expect(rejection('{"amount":null,"unit":"sat"}', PostMintQuoteBolt11Request).detail).toMatch(
        /^amount: /,
      )
      // A present optional field is still checked.
      const badWitness = { inputs: [{ ...input, witness: 7 }], outputs: [output] }
      expect(rejection(JSON.stringify(badWitness)).detail).toMatch(/^inputs\.0\.witness: /)
    })

    it('reads websocket requests with unknown fields', () => {
      const request = WsRequest.parse({
        jsonrpc: '2.0',
        method: 'subscribe',
        params: { kind: 'proof_state', subId: 'a', filters: ['x'], extra: null },
        id: 1n,
        extra: true,
      })
      expect(request.params).toEqual({ kind: 'proof_state', subId: 'a', filters: ['x'] })
    })
  })
})
