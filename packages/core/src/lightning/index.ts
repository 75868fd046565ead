/**
 * `@cashu-mint/core/lightning`: BOLT 11 invoices.
 * @module @cashu-mint/core/lightning
 */
export {
  Bolt11Error,
  type Bolt11Invoice,
  type Bolt11Network,
  decodeBolt11,
  type EncodeBolt11Options,
  encodeBolt11,
} from './bolt11.ts'
