/**
 * `@cashu-mint/core/token`: NUT-00 V3 and V4 token codecs.
 * @module @cashu-mint/core/token
 */
export { decodeToken } from './decode-token.ts'
export { decodePaymentRequest, encodePaymentRequest, type PaymentRequest } from './payment-request.ts'
export {
  normalizeMintUrl,
  resolveKeysetIds,
  type Token,
  TokenError,
  TokenProof,
  tokenAmount,
} from './token.ts'
export { encodeTokenV3 } from './token-v3.ts'
export {
  decodeTokenV4Binary,
  type EncodeTokenV4Options,
  encodeTokenV4,
  encodeTokenV4Binary,
} from './token-v4.ts'
