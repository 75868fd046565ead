/** `@cashu-mint/lnd`: the mint's Lightning backend on LND. */
export { connectLnd, LndBackend, type LndBackendOptions, REQUIRED_PERMISSIONS } from './lnd-backend.ts'
export { type LndConnectionOptions, readLndCredentials } from './lnd-credentials.ts'
