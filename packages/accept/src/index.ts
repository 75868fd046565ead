/**
 * `@cashu-mint/accept`: take ecash as payment in your own backend.
 * @module @cashu-mint/accept
 */

export {
  cashuFastifyPaywall,
  type FastifyPaywall,
  type FastifyPaywallOptions,
  type FastifyReplyShape,
  type FastifyRequestShape,
} from './fastify-paywall.ts'
export { createLocalRedeemer } from './local-redeemer.ts'
export {
  createPaymentGate,
  type Payment,
  type PaymentGate,
  type PaymentGateOptions,
  type Price,
  type Refusal,
} from './payment-gate.ts'
export { cashuPaywall, type PaywallOptions } from './paywall.ts'
export {
  ClaimRequestBody,
  ClaimResponseBody,
  HoldBody,
  HoldRequestBody,
  HoldResponseBody,
  IDEMPOTENCY_KEY,
  PositiveAmount,
  RedeemRequestBody,
  RedeemResponseBody,
  RefundRequestBody,
  RefundResponseBody,
  SettleRequestBody,
  SettleResponseBody,
  UnitName,
} from './redeem-wire.ts'
export type {
  HoldOptions,
  HoldResult,
  Redeemer,
  RedeemOptions,
  RedeemResult,
  RefundOutcome,
  SettleOutcome,
} from './redeemer.ts'
export { createRemoteRedeemer, type RemoteRedeemerOptions } from './remote-redeemer.ts'
