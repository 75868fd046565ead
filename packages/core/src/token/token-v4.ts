/**
 * NUT-00 V4 tokens (`cashuB`): base64url CBOR with one-letter keys and binary hex fields:
 * `{m: mint, u: unit, d?: memo, t: [{i: keyset id bytes, p: [{a, s, c, d?: {e, s, r}, w?}]}]}`.
 * Proofs are grouped by keyset id; v2 ids are written in their 8-byte short form unless asked
 * otherwise. Unknown keys are ignored for forward compatibility.
 */
import { bytesToHex, hexToBytes } from '../crypto/bytes.ts'
import { type CborMap, type CborValue, decodeCbor, encodeCbor } from './cbor.ts'
import {
  decodeBase64Url,
  encodeBase64Url,
  normalizeMintUrl,
  type Token,
  TokenError,
  TokenProof,
} from './token.ts'

export interface EncodeTokenV4Options {
  /** Write v2 (`01`) keyset ids as their first 8 bytes. Default true. */
  shortKeysetIds?: boolean
}

const isMap = (value: CborValue | undefined): value is CborMap =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)

function field<T>(value: CborValue | undefined, is: (v: CborValue) => v is T & CborValue, name: string): T {
  if (value === undefined || !is(value)) throw new TokenError(`invalid V4 token: bad or missing "${name}"`)
  return value
}
const isText = (v: CborValue): v is string => typeof v === 'string'
const isBytes = (v: CborValue): v is Uint8Array => v instanceof Uint8Array
const isInteger = (v: CborValue): v is bigint => typeof v === 'bigint'
const isArray = (v: CborValue): v is CborValue[] => Array.isArray(v)

function decodeDleq(value: CborValue | undefined) {
  if (value === undefined) return undefined
  if (!isMap(value)) throw new TokenError('invalid V4 token: bad "d"')
  return {
    e: bytesToHex(field(value.e, isBytes, 'd.e')),
    s: bytesToHex(field(value.s, isBytes, 'd.s')),
    r: bytesToHex(field(value.r, isBytes, 'd.r')),
  }
}

export function decodeTokenV4Payload(payload: string): Token {
  return decodeTokenV4Cbor(decodeBase64Url(payload))
}

function decodeTokenV4Cbor(bytes: Uint8Array): Token {
  let root: CborValue
  try {
    root = decodeCbor(bytes)
  } catch (error) {
    throw error instanceof TokenError
      ? error
      : new TokenError(`V4 token is not valid CBOR: ${(error as Error).message}`)
  }
  if (!isMap(root)) throw new TokenError('invalid V4 token: not a map')
  const proofs: TokenProof[] = []
  for (const group of field(root.t, isArray, 't')) {
    if (!isMap(group)) throw new TokenError('invalid V4 token: bad "t" entry')
    const id = bytesToHex(field(group.i, isBytes, 'i'))
    for (const proof of field(group.p, isArray, 'p')) {
      if (!isMap(proof)) throw new TokenError('invalid V4 token: bad "p" entry')
      const parsed = TokenProof.safeParse({
        id,
        amount: field(proof.a, isInteger, 'a'),
        secret: field(proof.s, isText, 's'),
        C: bytesToHex(field(proof.c, isBytes, 'c')),
        witness: proof.w === undefined ? undefined : field(proof.w, isText, 'w'),
        dleq: decodeDleq(proof.d),
      })
      if (!parsed.success) throw new TokenError(`invalid V4 token: ${parsed.error.issues[0]?.message}`)
      proofs.push(parsed.data)
    }
  }
  if (proofs.length === 0) throw new TokenError('invalid V4 token: no proofs')
  const memo = root.d === undefined ? undefined : field(root.d, isText, 'd')
  return {
    mint: normalizeMintUrl(field(root.m, isText, 'm')),
    unit: field(root.u, isText, 'u'),
    memo,
    proofs,
  }
}

function encodeTokenV4Cbor(token: Token, options: EncodeTokenV4Options): Uint8Array {
  if (token.unit === undefined) throw new TokenError('V4 tokens need a unit')
  const short = options.shortKeysetIds ?? true
  const groups = new Map<string, CborMap[]>()
  for (const proof of token.proofs) {
    const id = short && proof.id.startsWith('01') ? proof.id.slice(0, 16) : proof.id
    const entry: CborMap = { a: proof.amount, s: proof.secret, c: hexToBytes(proof.C) }
    if (proof.dleq) {
      if (proof.dleq.r === undefined) throw new TokenError('a DLEQ in a token needs its blinding factor r')
      entry.d = { e: hexToBytes(proof.dleq.e), s: hexToBytes(proof.dleq.s), r: hexToBytes(proof.dleq.r) }
    }
    if (proof.witness !== undefined) entry.w = proof.witness
    const group = groups.get(id) ?? []
    group.push(entry)
    groups.set(id, group)
  }
  // Key order t, d, m, u as in the NUT-00 vectors, so encodings match other wallets byte for byte.
  const root: CborMap = { t: [...groups].map(([id, p]) => ({ i: hexToBytes(id), p })) }
  if (token.memo !== undefined) root.d = token.memo
  root.m = normalizeMintUrl(token.mint)
  root.u = token.unit
  return encodeCbor(root)
}

export function encodeTokenV4(token: Token, options: EncodeTokenV4Options = {}): string {
  return `cashuB${encodeBase64Url(encodeTokenV4Cbor(token, options))}`
}

const RAW_PREFIX = new TextEncoder().encode('crawB')

/** NUT-00 raw binary V4 token: the bytes `craw` + `B` + CBOR, for transports that carry bytes. */
export function encodeTokenV4Binary(token: Token, options: EncodeTokenV4Options = {}): Uint8Array {
  const cbor = encodeTokenV4Cbor(token, options)
  const out = new Uint8Array(RAW_PREFIX.length + cbor.length)
  out.set(RAW_PREFIX)
  out.set(cbor, RAW_PREFIX.length)
  return out
}

export function decodeTokenV4Binary(bytes: Uint8Array): Token {
  if (!RAW_PREFIX.every((byte, i) => bytes[i] === byte))
    throw new TokenError('raw token must start with "crawB"')
  return decodeTokenV4Cbor(bytes.subarray(RAW_PREFIX.length))
}
