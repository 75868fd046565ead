/**
 * `@cashu-mint/core/mint`: the mint engine and the ports its adapters implement.
 * @module @cashu-mint/core/mint
 */
export {
  AUTH_UNIT,
  type AuthorizedRequest,
  type BlindAuthRecoveryReport,
  type BlindAuthReservation,
  type BlindAuthSettings,
} from './blind-auth.ts'
export type { MethodLimits, MintContext, MintSettings, UnitSettings } from './context.ts'
export type { MintEvent } from './events.ts'
export { newId } from './ids.ts'
export type { IssueRequest } from './issuance.ts'
export { MAX_BATCH_SIZE } from './issue-ecash.ts'
export { KeysetRing, type LoadedKeyset, type NewKeysetOptions, planKeyset } from './keyset-ring.ts'
export { ensureKeysets, type KeysetPlan, rotateKeysets } from './keyset-setup.ts'
export { toMeltQuoteResponse } from './melt-quotes.ts'
export { type Mint, type MintOptions, startMint } from './mint.ts'
export { toMintQuoteResponse } from './mint-quotes.ts'
export * from './ports.ts'
export type { RecoveryReport } from './recovery.ts'
export { type Receipt, type RedeemRequest, type Redemption, tokenHash } from './redeem.ts'
export type { Refund, RefundRequest, RefundResult } from './refund.ts'
export { formatRate, parseRate, type Rate, type RateSource, rateFromBtcPrice } from './units.ts'
export type { Limits } from './verification.ts'
