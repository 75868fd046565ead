/**
 * Changes a wallet may subscribe to (NUT-17): mint and melt quote states and proof states; and
 * `keysets`, so other instances reload theirs after a rotation. The engine emits them after the
 * transaction that made the change has committed.
 */
import type { MeltQuoteRecord, MintQuoteRecord } from './ports.ts'

export type MintEvent =
  | { kind: 'mint_quote'; quote: MintQuoteRecord }
  | { kind: 'melt_quote'; quote: MeltQuoteRecord }
  | { kind: 'proof_state'; ys: string[]; state: 'UNSPENT' | 'PENDING' | 'SPENT' }
  | { kind: 'keysets' }
