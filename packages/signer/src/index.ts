/**
 * `@cashu-mint/signer`: the mint's keys in a process of their own, on CDK's signatory protocol
 * (gRPC with mutual TLS). `connectSigner` is the engine's signer port for a signer elsewhere (CDK's
 * `signatory` or `cashu-mint signer`); `serveSigner` serves a signer to such clients (this mint's
 * service, or cdk-mintd).
 * @module @cashu-mint/signer
 */

export { SCHEMA_HEADER, SCHEMA_VERSION } from './signatory-wire.ts'
export { connectSigner, type RemoteSigner, type SignerConnection } from './signer-client.ts'
export { type SignerServer, type SignerServerOptions, serveSigner } from './signer-server.ts'
