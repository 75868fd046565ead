/**
 * `@cashu-mint/core/crypto`: BDHKE (NUT-00), DLEQ (NUT-12) and the curve backends.
 * @module @cashu-mint/core/crypto
 */
export {
  type BlindSignature,
  blindMessage,
  signBlindedMessage,
  unblindSignature,
  verifyProofDleq,
  verifyUnblinded,
  verifyWithY,
} from './bdhke.ts'
export { bytesToHex, equalBytes, hexToBytes } from './bytes.ts'
export { CURVE_ORDER, type CurveBackend, compressPoint, isValidScalar } from './curve-backend.ts'
export { createDleq, type Dleq, dleqNonce, hashE, verifyDleq } from './dleq.ts'
export { hashSecretToCurve, hashToCurve } from './hash-to-curve.ts'
export {
  legacyQuoteDigest,
  type QuoteSignatureOutput,
  v1QuoteDigest,
  verifyMintQuoteSignature,
} from './mint-quote-signature.ts'
export { loadNativeBackend } from './native-backend.ts'
export { nobleBackend } from './noble-backend.ts'
export { verifySchnorr } from './schnorr.ts'
export { type CurveBackendName, defaultCurveBackend, selectCurveBackend } from './select-backend.ts'
