/** `@cashu-mint/storage`: the MintStore for PostgreSQL and PGlite. */
export { MIGRATIONS_FOLDER, type OpenStoreOptions, openStore } from './connect.ts'
export { createDrizzleStore } from './store.ts'
