/**
 * NUT-18 payment requests in their `creqA` encoding: "creqA" + base64url(CBOR(request)). NUT-24
 * puts one in the X-Cashu header of an HTTP 402 answer: amount, unit, the mints accepted and, when
 * the payee wants the ecash locked to its key, a NUT-10 condition (`nut10`).
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
  /** The NUT-10 condition the payer should lock the ecash with: kind, data, tags. */
  nut10?: { k: string; d: string; t?: string[][] | undefined } | undefined
}

const strings = (value: CborValue | undefined): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []

function nut10Of(value: CborValue | undefined): PaymentRequest['nut10'] {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array)
    return undefined
  const { k, d, t } = value
  if (typeof k !== 'string' || typeof d !== 'string') throw new TokenError('nut10 needs a kind and data')
  return { k, d, t: Array.isArray(t) ? t.map(strings) : undefined }
}

const PREFIX = 'creqA'

export function encodePaymentRequest(request: PaymentRequest): string {
  const map: CborMap = {}
  for (const [key, value] of Object.entries(request)) {
    if (key === 'nut10' && value !== undefined) {
      const { k, d, t } = value as NonNullable<PaymentRequest['nut10']>
      map.nut10 = { k, d, ...(t === undefined ? {} : { t }) }
    } else if (value !== undefined) map[key] = value as CborValue
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
    nut10: nut10Of(map.nut10),
  }
}
