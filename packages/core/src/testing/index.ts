/**
 * `@cashu-mint/core/testing`: the conformance suites every store and every payment backend must
 * pass, a minimal test wallet and signed BOLT 11 invoices for fake Lightning backends.
 * @module @cashu-mint/core/testing
 */

export { type BackendHarness, describeBackendConformance } from './backend-conformance.ts'
export { type EncodeBolt11Options, encodeBolt11 } from './encode-bolt11.ts'
export { describeStoreConformance } from './store-conformance.ts'
export type { Expectation, TestApi } from './test-api.ts'
export { type BlindedOutputs, blindOutputs, outputsFor, unblindProofs } from './test-wallet.ts'
