/**
 * Types for the part of `invoices` (6.2.0, which ships none) that this package uses, as the
 * library's JSDoc describes it (bolt11/parse_payment_request.js, create_unsigned_request.js,
 * create_signed_request.js).
 */
declare module 'invoices' {
  export interface ParsedPaymentRequest {
    cltv_delta: number
    /** ISO 8601, from the invoice's timestamp (whole seconds). */
    created_at: string
    description?: string
    description_hash?: string
    /** Hex of the payee's key: the `n` field (signature verified, low-S), else recovered. */
    destination: string
    /** ISO 8601: created_at plus the expiry. */
    expires_at: string
    features: { bit: number; is_required: boolean; type?: string }[]
    /** Payment hash, hex. */
    id: string
    /** Millisatoshis as a decimal string, '0' when the invoice has no amount. */
    mtokens: string
    network: string
    /** Payment secret (`s`), hex. */
    payment?: string
  }

  export function parsePaymentRequest(args: { request: string }): ParsedPaymentRequest

  export interface UnsignedRequestArgs {
    cltv_delta?: number
    created_at?: string
    description?: string
    expires_at?: string
    features?: { bit: number }[]
    id: string
    mtokens?: string | undefined
    network: string
    payment?: string
  }

  export interface UnsignedRequest {
    /** SHA-256 of the preimage, hex: what the payee signs. */
    hash: string
    hrp: string
    /** The human-readable part's bytes, then the data part's words as bytes (zero-padded), hex. */
    preimage: string
    /** The data part's 5-bit words, without the signature. */
    tags: number[]
  }

  export function createUnsignedRequest(args: UnsignedRequestArgs): UnsignedRequest

  /** `signature` is the 64-byte compact signature, hex; the recovery id is found from `destination`. */
  export function createSignedRequest(args: {
    destination: string
    hrp: string
    signature: string
    tags: number[]
  }): { request: string }
}
