/**
 * `@cashu-mint/cdk-processor`: a payment backend on CDK's payment processor (gRPC, mutual TLS), the
 * way to Core Lightning or to a processor written in any language.
 * @module @cashu-mint/cdk-processor
 */
export {
  CdkProcessorBackend,
  type CdkProcessorOptions,
  connectCdkProcessor,
} from './cdk-processor-backend.ts'
export { PROTOCOL_VERSION, type ProcessorConnection } from './processor-client.ts'
