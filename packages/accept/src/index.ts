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
  IDEMPOTENCY_KEY,
  PositiveAmount,
  RedeemRequestBody,
  RedeemResponseBody,
  RefundRequestBody,
  RefundResponseBody,
  UnitName,
} from './redeem-wire.ts'
export type { Redeemer, RedeemOptions, RedeemResult, RefundOutcome } from './redeemer.ts'
export { createRemoteRedeemer, type RemoteRedeemerOptions } from './remote-redeemer.ts'
