/**
 * `@cashu-mint/core/lightning`: BOLT 11 invoice decoding (encoding is in `@cashu-mint/core/testing`).
 * @module @cashu-mint/core/lightning
 */
export { Bolt11Error, type Bolt11Invoice, type Bolt11Network, decodeBolt11 } from './bolt11.ts'
