/**
 * BOLT 11 Lightning invoices: what a melt quote needs (network, amount in msat as a bigint, payment
 * hash and secret, timestamp and expiry, description or its hash, and the payee). Encoding, which
 * only the FakeWallet and tests need, is in the testing entry (testing/encode-bolt11.ts).
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
 * amount is told apart from one for zero (refused) by its prefix; an amount too large for the
 * library to read gets its own error, so a melt quote answers it as an amount out of range. An
 * explicit expiry of 0 reads as the default hour (the library skips a zero field); the node that
 * pays checks expiry itself.
 */
import { type ParsedPaymentRequest, parsePaymentRequest } from 'invoices'

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

/**
 * An invoice for more than 90 million bitcoin, which the library will not read: the melt quote
 * answers it as it answers any amount beyond all bitcoin (11006), not as a malformed request.
 */
export class Bolt11AmountError extends Bolt11Error {}

const AMOUNT_OUT_OF_RANGE = 'ExpectedMillitokensWithinSafeRangeToParseHrpAsMtokens'

export function decodeBolt11(invoice: string): Bolt11Invoice {
  const text = invoice.replace(/^lightning:/i, '')
  let parsed: ParsedPaymentRequest
  try {
    parsed = parsePaymentRequest({ request: text })
  } catch (error) {
    const { message } = error as Error
    if (message === AMOUNT_OUT_OF_RANGE) throw new Bolt11AmountError('more than 21 million bitcoin')
    throw new Bolt11Error(`not a valid BOLT 11 invoice: ${message}`)
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
