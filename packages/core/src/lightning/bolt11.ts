/**
 * BOLT 11 Lightning invoices: what a melt quote needs (network, amount in msat as a bigint, payment
 * hash and secret, timestamp and expiry, description or its hash, and the payee).
 *
 * Decoding is `invoices` (6.2.0): the BOLT 11 codec of the `lightning` package, which this
 * repo's LND backend already uses. It checks the signature, by verifying it against the `n` field
 * (low-S only) or else by recovering the payee, and gives the amount exactly (msat as a decimal
 * string). `light-bolt11-decoder` was measured and not taken: it checks no signature, fails on one
 * of BOLT 11's valid examples and accepts four of its invalid ones. The spec's examples, valid and
 * invalid, are in bolt11-vectors.json next to the tests.
 *
 * What this file adds, each for a spec rule the library leaves to its caller: an invoice without a
 * payment secret is refused, as is one that requires a feature bit nobody knows; an invoice with no
 * amount is told apart from one for zero (refused) by its prefix. An explicit expiry of 0 reads as
 * the default hour (the library skips a zero field); LND refuses to pay such an invoice anyway.
 */

import { secp256k1 } from '@noble/curves/secp256k1.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bech32 } from '@scure/base'
import { type ParsedPaymentRequest, parsePaymentRequest } from 'invoices'
import { concatBytes, hexToBytes, utf8ToBytes } from '../crypto/bytes.ts'

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
  /** BOLT 11 requires one: an invoice without it is refused. */
  paymentSecret: string
  description: string | undefined
  descriptionHash: string | undefined
  /** Compressed hex of the payee's node key: the `n` field, or recovered from the signature. */
  payee: string
  minFinalCltvExpiry: bigint
}

const NETWORKS: readonly string[] = ['bitcoin', 'testnet', 'signet', 'regtest'] satisfies Bolt11Network[]

export class Bolt11Error extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'Bolt11Error'
  }
}

export function decodeBolt11(invoice: string): Bolt11Invoice {
  const text = invoice.replace(/^lightning:/i, '')
  let parsed: ParsedPaymentRequest
  try {
    parsed = parsePaymentRequest({ request: text })
  } catch (error) {
    throw new Bolt11Error(`not a valid BOLT 11 invoice: ${(error as Error).message}`)
  }
  if (!NETWORKS.includes(parsed.network)) throw new Bolt11Error(`unsupported network ${parsed.network}`)
  if (parsed.payment === undefined) throw new Bolt11Error('invoice has no payment secret')
  const unknown = parsed.features.find((feature) => feature.is_required && feature.type === undefined)
  if (unknown) throw new Bolt11Error(`invoice requires unknown feature bit ${unknown.bit}`)
  // The human-readable part holds digits only when it states an amount (BOLT 11 prefixes have none).
  const amountMsat = /[0-9]/.test(text.slice(0, text.lastIndexOf('1'))) ? BigInt(parsed.mtokens) : undefined
  if (amountMsat === 0n) throw new Bolt11Error('invoice amount must be positive')
  const createdMs = Date.parse(parsed.created_at)
  return {
    network: parsed.network as Bolt11Network,
    amountMsat,
    timestamp: BigInt(createdMs / 1000),
    expirySeconds: BigInt((Date.parse(parsed.expires_at) - createdMs) / 1000),
    paymentHash: parsed.id,
    paymentSecret: parsed.payment,
    description: parsed.description,
    descriptionHash: parsed.description_hash,
    payee: parsed.destination,
    minFinalCltvExpiry: BigInt(parsed.cltv_delta),
  }
}

const PREFIXES: Record<string, Bolt11Network> = {
  bc: 'bitcoin',
  tb: 'testnet',
  tbs: 'signet',
  bcrt: 'regtest',
}
const MULTIPLIERS: Record<string, bigint> = { m: 100_000_000n, u: 100_000n, n: 100n, p: 1n }
const TAG = { p: 1, s: 16, d: 13, x: 6, c: 24, '9': 5 } as const

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
