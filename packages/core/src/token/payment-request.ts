/**
 * NUT-18 payment requests in their `creqA` encoding: "creqA" + base64url(CBOR(request)). NUT-24
 * puts one in the X-Cashu header of an HTTP 402 answer: amount, unit and the mints accepted.
 */
import { type CborMap, type CborValue, decodeCbor, encodeCbor } from './cbor.ts'
import { decodeBase64Url, encodeBase64Url, TokenError } from './token.ts'

export interface PaymentRequest {
  /** Payment id, echoed in the payment payload. */
  i?: string | undefined
  /** Amount in the unit. */
  a?: bigint | undefined
  u?: string | undefined
  /** Single use. */
  s?: boolean | undefined
  /** Mint URLs the payee accepts. */
  m?: string[] | undefined
  /** Description shown to the payer. */
  d?: string | undefined
}

const PREFIX = 'creqA'

export function encodePaymentRequest(request: PaymentRequest): string {
  const map: CborMap = {}
  for (const [key, value] of Object.entries(request) as [string, CborValue | undefined][]) {
    if (value !== undefined) map[key] = value
  }
  return `${PREFIX}${encodeBase64Url(encodeCbor(map))}`
}

export function decodePaymentRequest(encoded: string): PaymentRequest {
  if (!encoded.startsWith(PREFIX)) throw new TokenError(`a payment request starts with ${PREFIX}`)
  const map = decodeCbor(decodeBase64Url(encoded.slice(PREFIX.length)))
  if (typeof map !== 'object' || map === null || Array.isArray(map) || map instanceof Uint8Array)
    throw new TokenError('a payment request is a CBOR map')
  const text = (key: string) => (typeof map[key] === 'string' ? (map[key] as string) : undefined)
  const amount = map.a
  const mints = map.m
  return {
    i: text('i'),
    a: typeof amount === 'bigint' ? amount : undefined,
    u: text('u'),
    s: typeof map.s === 'boolean' ? map.s : undefined,
    m: Array.isArray(mints) ? mints.filter((m): m is string => typeof m === 'string') : undefined,
    d: text('d'),
  }
}
