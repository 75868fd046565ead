/**
 * NUT-04 (mint tokens), NUT-23 (bolt11), NUT-20 (quotes locked to a pubkey) and NUT-29 (batch mint).
 * Quote ids are opaque strings to the wallet; this mint issues UUID v7.
 */
import { z } from 'zod'
import { BlindedMessage, BlindSignature } from './nut00.ts'
import { amount, hex, list, optionalField, point, quoteId, timestamp, unit } from './primitives.ts'

export const MintQuoteState = z.enum(['UNPAID', 'PAID', 'ISSUED'])
export type MintQuoteState = z.output<typeof MintQuoteState>

export const PostMintQuoteBolt11Request = z.object({
  amount: amount.min(1n, 'amount must be positive'),
  unit,
  description: optionalField(z.string().max(639, 'description is too long')),
  /** NUT-20: lock the quote to this key; minting then needs its signature. */
  pubkey: optionalField(point('pubkey')),
})
export type PostMintQuoteBolt11Request = z.output<typeof PostMintQuoteBolt11Request>

export const MintQuoteBolt11Response = z.object({
  quote: quoteId,
  request: z.string(),
  amount: amount.nullable(),
  unit,
  /** The payment method (`bolt11`): a pending spec change (nuts #378) that Nutshell's wallet requires. */
  method: optionalField(z.string()),
  state: MintQuoteState,
  expiry: timestamp.nullable(),
  pubkey: point('pubkey').nullable().optional(),
})
export type MintQuoteBolt11Response = z.output<typeof MintQuoteBolt11Response>

/** NUT-20: a BIP-340 Schnorr signature, 64 bytes of hex. */
export const QuoteSignature = hex(64, 'signature')

export const PostMintRequest = z.object({
  quote: quoteId,
  outputs: list(BlindedMessage, 'outputs').min(1, 'outputs must not be empty'),
  signature: optionalField(QuoteSignature),
})
export type PostMintRequest = z.output<typeof PostMintRequest>

export const PostMintResponse = z.object({ signatures: z.array(BlindSignature) })
export type PostMintResponse = z.output<typeof PostMintResponse>

/** NUT-29: check many quotes at once. */
export const PostMintQuoteCheckRequest = z.object({
  quotes: list(quoteId, 'quotes').min(1, 'quotes must not be empty'),
})
export type PostMintQuoteCheckRequest = z.output<typeof PostMintQuoteCheckRequest>

/** NUT-29: mint many quotes in one atomic request. */
export const PostMintBatchRequest = z.object({
  quotes: list(quoteId, 'quotes').min(1, 'quotes must not be empty'),
  quote_amounts: optionalField(list(amount, 'quote amounts')),
  outputs: list(BlindedMessage, 'outputs').min(1, 'outputs must not be empty'),
  signatures: optionalField(list(QuoteSignature.nullable(), 'signatures')),
})
export type PostMintBatchRequest = z.output<typeof PostMintBatchRequest>
