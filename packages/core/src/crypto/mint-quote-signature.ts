/**
 * NUT-20: a mint quote locked to a public key can only be minted with a BIP-340 signature by that
 * key over the request. Two message forms are in use and both are accepted:
 * - legacy: SHA256(quote || B__0 || ... || B__n) over the UTF-8 quote id and hex outputs;
 * - `Cashu_MintQuoteSig_v1`: SHA256("Cashu_MintQuoteSig_v1" || frame(quote) || for each output
 *   frame(amount) || frame(B_)), where frame(x) = u32 big-endian length || x, the quote as UTF-8,
 *   the amount as minimal big-endian bytes (empty for 0) and B_ as its 33 raw bytes. Framing makes
 *   every field boundary unambiguous.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { concatBytes, hexToBytes, utf8ToBytes } from './bytes.ts'
import { verifySchnorr } from './schnorr.ts'

export interface QuoteSignatureOutput {
  amount: bigint
  B_: string
}

const V1_TAG = utf8ToBytes('Cashu_MintQuoteSig_v1')

function frame(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length)
  new DataView(out.buffer).setUint32(0, bytes.length, false)
  out.set(bytes, 4)
  return out
}

function amountBytes(amount: bigint): Uint8Array {
  if (amount === 0n) return new Uint8Array()
  const hex = amount.toString(16)
  return hexToBytes(hex.length % 2 ? `0${hex}` : hex)
}

export function legacyQuoteDigest(quote: string, outputs: readonly QuoteSignatureOutput[]): Uint8Array {
  return sha256(utf8ToBytes(quote + outputs.map((output) => output.B_).join('')))
}

export function v1QuoteDigest(quote: string, outputs: readonly QuoteSignatureOutput[]): Uint8Array {
  const parts = [V1_TAG, frame(utf8ToBytes(quote))]
  for (const output of outputs) parts.push(frame(amountBytes(output.amount)), frame(hexToBytes(output.B_)))
  return sha256(concatBytes(...parts))
}

/** Whether `signature` (64-byte hex) by `pubkey` (33-byte compressed hex) signs either message form. */
export function verifyMintQuoteSignature(
  pubkey: string,
  quote: string,
  outputs: readonly QuoteSignatureOutput[],
  signature: string,
): boolean {
  return (
    verifySchnorr(signature, v1QuoteDigest(quote, outputs), pubkey) ||
    verifySchnorr(signature, legacyQuoteDigest(quote, outputs), pubkey)
  )
}
