/**
 * `@cashu-mint/core/conditions`: NUT-10 secrets, NUT-11 P2PK (checking, and signing as a payee), NUT-14 HTLC, SIG_ALL.
 * @module @cashu-mint/core/conditions
 */
export { type Lock, readLock, type SigFlag } from './lock.ts'
export { parseWellKnownSecret, type WellKnownSecret } from './secret.ts'
export { type SigAllTransaction, sigAllMessage } from './sig-all.ts'
export { assertSpendingConditions, assertUnlocked, type SpendInput } from './spend.ts'
export { p2pkPublicKey, signLockedProofs } from './unlock.ts'
export { countValidSigners, parseWitness, type Witness } from './witness.ts'
