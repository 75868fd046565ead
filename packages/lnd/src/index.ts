/**
 * `@cashu-mint/lnd`: the mint's Lightning backend on LND.
 * @module @cashu-mint/lnd
 */
export { connectLnd, LndBackend, type LndBackendOptions, REQUIRED_PERMISSIONS } from './lnd-backend.ts'
export { type LndConnectionOptions, readLndCredentials } from './lnd-credentials.ts'
