/**
 * `@cashu-mint/storage`: the MintStore for PostgreSQL and PGlite.
 * @module @cashu-mint/storage
 */
export { isDatabaseUnreachable, type OutageEvent } from './availability.ts'
export { MIGRATIONS_FOLDER, type OpenedStore, type OpenStoreOptions, openStore } from './connect.ts'
export { type EventChannel, openEventChannel } from './event-channel.ts'
export type { LedgerDrift } from './ledger-totals.ts'
export {
  type ImportedBook,
  type ImportOutcome,
  ImportRefusedError,
  type MintImport,
} from './mint-import.ts'
export type { OperatorSettingsStore } from './operator-settings.ts'
export type { HoldTotals, KeysetBalance, QuoteDetail, Reports, SearchHit, UnitFlow } from './reports.ts'
export { type CachedResponse, createResponseCache, type ResponseCache } from './response-cache.ts'
export { SNAPSHOT_FORMAT, type Snapshot } from './snapshot.ts'
export { createDrizzleStore } from './store.ts'
