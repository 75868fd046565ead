/**
 * `@cashu-mint/core/mint`: the mint engine (the Mint interface and startMint), the ports its
 * adapters implement (store, Lightning, clock, events) and what an embedding service needs besides.
 * @module @cashu-mint/core/mint
 */
export type {
  AuthorizedRequest,
  BlindAuthRecoveryReport,
  BlindAuthReservation,
  EvidenceKind,
} from './auth/blind-auth.ts'
export type { Limits } from './checks/verification.ts'
export type { MintContext } from './context/mint-context.ts'
export { type BackendRoute, createPaymentRouter, type PaymentRouter } from './context/payment-router.ts'
export type { BlindAuthSettings, MethodLimits, MintSettings, UnitSettings } from './context/settings.ts'
export { DerivedKeysets, type NewKeysetOptions, planKeyset } from './keysets/derived-keysets.ts'
export { KeysetRing, type LoadedKeyset, type PublicKeyset } from './keysets/keyset-ring.ts'
export {
  AUTH_UNIT,
  ensureKeysets,
  type KeysetPlan,
  mirrorKeysets,
  rotateKeysets,
} from './keysets/keyset-setup.ts'
export {
  createLocalSigner,
  type LocalSigner,
  type LocalSignerOptions,
  type MintKeys,
  signerOf,
} from './keysets/local-signer.ts'
export type { Mint, NamedKeyset, PaymentRouteInfo } from './mint.ts'
export type { Hold, Holding, HoldRequest, HoldSettlement } from './operations/holds.ts'
export type { RecoveryReport } from './operations/melt/recovery.ts'
export { MAX_BATCH_SIZE } from './operations/mint-ecash.ts'
export type { CreditRequest } from './operations/operator-credit.ts'
export { type Receipt, type RedeemRequest, type Redemption, tokenHash } from './operations/redeem.ts'
export type { Refund, RefundRequest, RefundResult } from './operations/refund.ts'
export * from './ports/clock.ts'
export type { MintEvent } from './ports/events.ts'
export * from './ports/payment-backend.ts'
export * from './ports/signer.ts'
export * from './ports/store.ts'
export { type Dependency, UnavailableError } from './ports/unavailable.ts'
export { newId } from './primitives/ids.ts'
export { createListeners, type Listeners } from './primitives/listeners.ts'
export { formatRate, parseRate, type Rate, type RateSource, rateFromBtcPrice } from './primitives/prices.ts'
export { toMeltQuoteResponse } from './quotes/melt-quotes.ts'
export { toMintQuoteResponse } from './quotes/mint-quotes.ts'
export { type MintOptions, startMint } from './start-mint.ts'
