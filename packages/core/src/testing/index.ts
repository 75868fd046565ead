/**
 * `@cashu-mint/core/testing`: the MintStore conformance suite, a minimal test wallet and signed
 * BOLT 11 invoices for fake Lightning backends.
 * @module @cashu-mint/core/testing
 */
export { type EncodeBolt11Options, encodeBolt11 } from './encode-bolt11.ts'
export { describeStoreConformance, type Expectation, type TestApi } from './store-conformance.ts'
export { type BlindedOutputs, blindOutputs, outputsFor, unblindProofs } from './test-wallet.ts'
