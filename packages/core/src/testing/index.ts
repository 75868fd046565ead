/**
 * `@cashu-mint/core/testing`: the MintStore conformance suite and a minimal test wallet.
 * @module @cashu-mint/core/testing
 */
export { describeStoreConformance, type Expectation, type TestApi } from './store-conformance.ts'
export { type BlindedOutputs, blindOutputs, outputsFor, unblindProofs } from './test-wallet.ts'
