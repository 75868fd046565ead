/** `@cashu-mint/accept`: take ecash as payment in your own backend. */
export { createLocalRedeemer } from './local-redeemer.ts'
export { cashuPaywall, type PaywallOptions, type Price } from './paywall.ts'
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
