/**
 * BOLT 11 invoices that pass for real ones, for the FakeWallet and for tests: signed by a node key,
 * with a payment secret, an expiry, a description (empty when none is given, since BOLT 11 wants
 * `d` or `h`) and the features LND insists on (var_onion_optin and payment_secret, both required).
 *
 * No mint pays with an invoice it made, so encoding lives here rather than in `/lightning`. It is
 * `invoices`, the decoder's library, that lays out the fields and the amount (the shortest form:
 * `lnbc13370n` for 1337 sat); only the signature is noble's, over the hash the library gives.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { createSignedRequest, createUnsignedRequest } from 'invoices'
import { bytesToHex, hexToBytes } from '../crypto/bytes.ts'
import { Bolt11Error, type Bolt11Network } from '../lightning/bolt11.ts'

export interface EncodeBolt11Options {
  network: Bolt11Network
  amountMsat?: bigint | undefined
  /** Unix seconds. */
  timestamp: bigint
  expirySeconds: bigint
  paymentHash: string
  paymentSecret: string
  description?: string | undefined
  /** 32-byte node key that signs the invoice. */
  nodeKey: Uint8Array
}

const VAR_ONION_OPTIN_REQUIRED = 8
const PAYMENT_SECRET_REQUIRED = 14
const isoDate = (unixSeconds: bigint) => new Date(Number(unixSeconds) * 1000).toISOString()

export function encodeBolt11(options: EncodeBolt11Options): string {
  if (options.amountMsat !== undefined && options.amountMsat <= 0n)
    throw new Bolt11Error('invoice amount must be positive')
  const unsigned = createUnsignedRequest({
    network: options.network,
    mtokens: options.amountMsat?.toString(),
    created_at: isoDate(options.timestamp),
    expires_at: isoDate(options.timestamp + options.expirySeconds),
    id: options.paymentHash,
    payment: options.paymentSecret,
    description: options.description ?? '',
    cltv_delta: 18,
    features: [{ bit: VAR_ONION_OPTIN_REQUIRED }, { bit: PAYMENT_SECRET_REQUIRED }],
  })
  const signature = secp256k1.sign(hexToBytes(unsigned.hash), options.nodeKey, { prehash: false })
  return createSignedRequest({
    destination: bytesToHex(secp256k1.getPublicKey(options.nodeKey, true)),
    hrp: unsigned.hrp,
    signature: bytesToHex(signature),
    tags: unsigned.tags,
  }).request
}
