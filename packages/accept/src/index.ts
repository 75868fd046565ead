/** `@cashu-mint/accept`: take ecash as payment in your own backend. */
export { createLocalRedeemer } from './local-redeemer.ts'
export { cashuPaywall, type PaywallOptions, type Price } from './paywall.ts'
export { IDEMPOTENCY_KEY, RedeemRequestBody, RedeemResponseBody } from './redeem-wire.ts'
export type { Redeemer, RedeemOptions, RedeemResult } from './redeemer.ts'
export { createRemoteRedeemer, type RemoteRedeemerOptions } from './remote-redeemer.ts'
