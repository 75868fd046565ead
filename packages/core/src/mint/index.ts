/** `@cashu-mint/core/mint`: the mint engine and the ports its adapters implement. */
export type { MethodLimits, MintContext, MintSettings, UnitSettings } from './context.ts'
export type { MintEvent } from './events.ts'
export { newId } from './ids.ts'
export { KeysetRing, type LoadedKeyset, type NewKeysetOptions, planKeyset } from './keyset-ring.ts'
export { type KeysetPlan, type Mint, type MintOptions, startMint } from './mint.ts'
export * from './ports.ts'
export type { RecoveryReport } from './recovery.ts'
export type { Limits } from './verification.ts'
