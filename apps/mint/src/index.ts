/**
 * `cashu-mint`: the mint as an HTTP service, for running it from your own code instead of the
 * `cashu-mint` command: the configuration (from the environment or an object) and the server with
 * both listeners; or just the NUT API (a Hono app) over an engine you started yourself, with
 * NUT-21/22 access control (`accessControl`, `createClearAuth`) if you want it. The pieces
 * underneath are the `@cashu-mint/*` packages.
 * @module cashu-mint
 */

export { type AccessRules, parseEndpointList } from './config/access-rules.ts'
export { databaseUrlOf, loadConfig, type ServerConfig } from './config/config.ts'
export { type AccessControlOptions, accessControl } from './public/access-control.ts'
export { type AppOptions, createApp } from './public/app.ts'
export { type ClearAuthOptions, type ClearAuthVerifier, createClearAuth } from './public/clear-auth.ts'
export { startServer } from './server.ts'
