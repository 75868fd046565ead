/**
 * Changes a wallet may subscribe to (NUT-17): mint and melt quote states and proof states; and
 * `keysets` and `settings`, so other instances reload theirs after the operator changed them. The
 * engine emits all but `settings` (the service's) after the transaction that made the change has
 * committed.
 */
import type { MeltQuoteRecord, MintQuoteRecord } from './store.ts'

export type MintEvent =
  | { kind: 'mint_quote'; quote: MintQuoteRecord }
  | { kind: 'melt_quote'; quote: MeltQuoteRecord }
  | { kind: 'proof_state'; ys: string[]; state: 'UNSPENT' | 'PENDING' | 'SPENT' }
  | { kind: 'keysets' }
  /** The operator changed run-time settings (info, Lightning switches): other instances reload them. */
  | { kind: 'settings' }
