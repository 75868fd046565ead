/** `@cashu-mint/core/testing`: the MintStore conformance suite and a minimal test wallet. */
export { describeStoreConformance } from './store-conformance.ts'
export { type BlindedOutputs, blindOutputs, outputsFor, unblindProofs } from './test-wallet.ts'
