/**
 * BOLT 11 Lightning invoices: decode (for melt quotes: amount, payment hash, expiry, network) and
 * encode with a signature (for the FakeWallet's real-looking invoices). Amounts are msat as bigint.
 * The signature is checked on decode by recovering the payee key, so a tampered invoice is refused.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bech32 } from '@scure/base'
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '../crypto/bytes.ts'

export type Bolt11Network = 'bitcoin' | 'testnet' | 'signet' | 'regtest'

export interface Bolt11Invoice {
  network: Bolt11Network
  /** Undefined for an amountless invoice. */
  amountMsat: bigint | undefined
  /** Unix seconds. */
  timestamp: bigint
  /** Seconds after `timestamp`; BOLT 11's default is 3600. */
  expirySeconds: bigint
  paymentHash: string
  paymentSecret: string | undefined
  description: string | undefined
  descriptionHash: string | undefined
  /** Compressed hex of the payee's node key, recovered from the signature. */
  payee: string
  minFinalCltvExpiry: bigint
}

const PREFIXES: Record<string, Bolt11Network> = {
  bc: 'bitcoin',
  tb: 'testnet',
  tbs: 'signet',
  bcrt: 'regtest',
}
const MULTIPLIERS: Record<string, bigint> = { m: 100_000_000n, u: 100_000n, n: 100n, p: 1n }
const TAG = { p: 1, s: 16, d: 13, h: 23, x: 6, c: 24, n: 19, '9': 5 } as const

export class Bolt11Error extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'Bolt11Error'
  }
}

/** Amount part of the human-readable prefix, in msat (the p multiplier is tenths of a msat). */
function parseAmount(text: string): bigint | undefined {
  if (text === '') return undefined
  const match = /^([1-9][0-9]*)([munp]?)$/.exec(text)
  if (!match) throw new Bolt11Error('invalid invoice amount')
  const [, digits, unit] = match as unknown as [string, string, string]
  const value = BigInt(digits)
  if (unit === '') return value * 100_000_000_000n
  if (unit === 'p') {
    if (value % 10n !== 0n) throw new Bolt11Error('invoice amount has sub-millisatoshi precision')
    return value / 10n
  }
  return value * (MULTIPLIERS[unit] as bigint)
}

function wordsToNumber(words: readonly number[]): bigint {
  return words.reduce((n, w) => (n << 5n) | BigInt(w), 0n)
}

/** 5-bit words to bytes, zero-padding the last byte (BOLT 11 signs the data part this way). */
function wordsToPaddedBytes(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(Math.ceil((words.length * 5) / 8))
  let bits = 0
  let value = 0
  let at = 0
  for (const word of words) {
    value = ((value << 5) | word) & 0xffff
    bits += 5
    if (bits >= 8) {
      bits -= 8
      out[at++] = (value >> bits) & 0xff
    }
  }
  if (bits > 0) out[at] = (value << (8 - bits)) & 0xff
  return out
}

function signedMessage(prefix: string, data: readonly number[]): Uint8Array {
  return sha256(concatBytes(utf8ToBytes(prefix), wordsToPaddedBytes(data)))
}

function numberToWords(value: bigint, minWords = 1): number[] {
  const words: number[] = []
  for (let v = value; v > 0n; v >>= 5n) words.unshift(Number(v & 31n))
  while (words.length < minWords) words.unshift(0)
  return words
}

export function decodeBolt11(invoice: string): Bolt11Invoice {
  let decoded: { prefix: string; words: number[] }
  try {
    decoded = bech32.decode(invoice.toLowerCase().replace(/^lightning:/, '') as `${string}1${string}`, false)
  } catch {
    throw new Bolt11Error('not a bech32 Lightning invoice')
  }
  const hrp = /^ln(bcrt|tbs|bc|tb)([0-9]*[munp]?)$/.exec(decoded.prefix)
  if (!hrp) throw new Bolt11Error('unknown invoice network or prefix')
  const network = PREFIXES[hrp[1] as string] as Bolt11Network
  const amountMsat = parseAmount(hrp[2] as string)
  const words = decoded.words
  if (words.length < 7 + 104) throw new Bolt11Error('invoice is too short')
  const dataWords = words.slice(0, -104)
  const signature = bech32.fromWords(words.slice(-104))
  const timestamp = wordsToNumber(dataWords.slice(0, 7))
  const fields = new Map<number, number[]>()
  for (let i = 7; i < dataWords.length; ) {
    const type = dataWords[i] as number
    const length = Number(wordsToNumber(dataWords.slice(i + 1, i + 3)))
    const value = dataWords.slice(i + 3, i + 3 + length)
    if (value.length !== length) throw new Bolt11Error('truncated invoice field')
    if (!fields.has(type)) fields.set(type, value)
    i += 3 + length
  }
  const bytesOf = (type: number, size?: number) => {
    const value = fields.get(type)
    if (value === undefined) return undefined
    // Field values drop the final partial byte (BOLT 11: 52 words carry a 32-byte hash).
    const bytes = wordsToPaddedBytes(value).subarray(0, Math.floor((value.length * 5) / 8))
    return size === undefined || bytes.length === size ? bytes : undefined
  }
  const paymentHash = bytesOf(TAG.p, 32)
  if (!paymentHash) throw new Bolt11Error('invoice has no payment hash')
  const message = signedMessage(decoded.prefix, dataWords)
  let payee: string
  try {
    const sig = secp256k1.Signature.fromBytes(signature.slice(0, 64), 'compact').addRecoveryBit(
      signature[64] as number,
    )
    payee = bytesToHex(sig.recoverPublicKey(message).toBytes(true))
  } catch {
    throw new Bolt11Error('invoice signature is invalid')
  }
  const declared = bytesOf(TAG.n, 33)
  if (declared && bytesToHex(declared) !== payee)
    throw new Bolt11Error('invoice signature does not match its payee')
  const description = bytesOf(TAG.d)
  const descriptionHash = bytesOf(TAG.h, 32)
  const paymentSecret = bytesOf(TAG.s, 32)
  const expiry = fields.get(TAG.x)
  const cltv = fields.get(TAG.c)
  return {
    network,
    amountMsat,
    timestamp,
    expirySeconds: expiry ? wordsToNumber(expiry) : 3600n,
    paymentHash: bytesToHex(paymentHash),
    paymentSecret: paymentSecret && bytesToHex(paymentSecret),
    description: description && new TextDecoder().decode(description),
    descriptionHash: descriptionHash && bytesToHex(descriptionHash),
    payee,
    minFinalCltvExpiry: cltv ? wordsToNumber(cltv) : 18n,
  }
}

export interface EncodeBolt11Options {
  network: Bolt11Network
  amountMsat?: bigint | undefined
  timestamp: bigint
  expirySeconds: bigint
  paymentHash: string
  paymentSecret: string
  description?: string | undefined
  /** 32-byte node key that signs the invoice. */
  nodeKey: Uint8Array
}

/** The shortest amount text for msat: the largest multiplier that divides it exactly. */
function formatAmount(msat: bigint): string {
  if (msat <= 0n) throw new Bolt11Error('invoice amount must be positive')
  for (const unit of ['', 'm', 'u', 'n'] as const) {
    const size = unit === '' ? 100_000_000_000n : (MULTIPLIERS[unit] as bigint)
    if (msat % size === 0n) return `${msat / size}${unit}`
  }
  return `${msat * 10n}p`
}

function field(type: number, words: number[]): number[] {
  return [type, ...numberToWords(BigInt(words.length), 2), ...words]
}

export function encodeBolt11(options: EncodeBolt11Options): string {
  const network = Object.entries(PREFIXES).find(([, name]) => name === options.network)?.[0] as string
  const prefix = `ln${network}${options.amountMsat === undefined ? '' : formatAmount(options.amountMsat)}`
  const data = [
    ...numberToWords(options.timestamp, 7),
    ...field(TAG.p, bech32.toWords(hexToBytes(options.paymentHash))),
    ...field(TAG.s, bech32.toWords(hexToBytes(options.paymentSecret))),
    // BOLT 11 requires a description (d) or its hash (h): an empty one is still written.
    ...field(TAG.d, bech32.toWords(utf8ToBytes(options.description ?? ''))),
    ...field(TAG.x, numberToWords(options.expirySeconds)),
    ...field(TAG.c, numberToWords(18n)),
    ...field(TAG['9'], numberToWords((1n << 8n) | (1n << 14n), 2)),
  ]
  const message = signedMessage(prefix, data)
  const sig = secp256k1.sign(message, options.nodeKey, { prehash: false, format: 'recovered' })
  // noble's recovered format puts the recovery byte first; BOLT 11 wants it last.
  const signature = concatBytes(sig.slice(1), sig.slice(0, 1))
  return bech32.encode(prefix, [...data, ...bech32.toWords(signature)], false)
}
