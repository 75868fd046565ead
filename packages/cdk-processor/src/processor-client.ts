/**
 * A gRPC client of CDK's payment processor (proto/payment_processor.proto): TLS with a client
 * certificate (mutual TLS, as the processor requires when it has certificates), or plain gRPC to a
 * processor on this machine. Every call carries the protocol version the processor checks
 * (`x-cdk-protocol-version`) and a deadline.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'

/** The protocol version this client speaks (cdk-payment-processor 0.18). */
export const PROTOCOL_VERSION = '4.0.0'

const PROTO = fileURLToPath(new URL('../proto/payment_processor.proto', import.meta.url))

export interface ProcessorConnection {
  /** host:port */
  address: string
  /** A folder with ca.pem (the processor's CA), client.pem and client.key. */
  tlsDir?: string | undefined
  /** Plain gRPC: only to a processor on this machine. */
  insecure?: boolean | undefined
}

/** An amount as the processor sends it: uint64 as a decimal string (proto-loader's `longs: String`). */
export interface AmountMessage {
  value: string
  unit: string
}

export interface PaymentIdentifier {
  type: string
  hash?: string
  id?: string
}

export interface MakePaymentResponse {
  payment_identifier?: PaymentIdentifier
  payment_proof?: string
  status: string
  total_spent?: AmountMessage
}

export type Call = <Response>(method: string, request: unknown, timeoutMs: number) => Promise<Response>

export interface ProcessorClient {
  call: Call
  /** The WaitPaymentEvent stream; cancelled when `signal` aborts. */
  events(signal: AbortSignal): grpc.ClientReadableStream<Record<string, unknown>>
  close(): void
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])

async function credentialsFor(connection: ProcessorConnection): Promise<grpc.ChannelCredentials> {
  if (connection.tlsDir) {
    const read = (name: string) => readFile(join(connection.tlsDir as string, name))
    const [ca, key, cert] = await Promise.all([read('ca.pem'), read('client.key'), read('client.pem')]).catch(
      (error: NodeJS.ErrnoException) => {
        throw new Error(
          `tls_dir ${connection.tlsDir} must hold ca.pem, client.pem and client.key (${error.code})`,
        )
      },
    )
    return grpc.credentials.createSsl(ca, key, cert)
  }
  const host = connection.address.slice(0, connection.address.lastIndexOf(':'))
  if (!connection.insecure || !LOOPBACK.has(host))
    throw new Error(`a processor at ${connection.address} needs tls_dir (insecure is only for 127.0.0.1)`)
  return grpc.credentials.createInsecure()
}

export async function openProcessorClient(connection: ProcessorConnection): Promise<ProcessorClient> {
  const definition = await protoLoader.load(PROTO, {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  })
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    cdk_payment_processor: { CdkPaymentProcessor: grpc.ServiceClientConstructor }
  }
  const client = new loaded.cdk_payment_processor.CdkPaymentProcessor(
    connection.address,
    await credentialsFor(connection),
    // A processor that went away is tried again soon, not after minutes of back-off.
    { 'grpc.max_reconnect_backoff_ms': 2000, 'grpc.keepalive_time_ms': 30_000 },
  )
  const metadata = () => {
    const m = new grpc.Metadata()
    m.set('x-cdk-protocol-version', PROTOCOL_VERSION)
    return m
  }
  const method = (name: string) =>
    (client as unknown as Record<string, (...args: unknown[]) => grpc.ClientUnaryCall>)[name]?.bind(client)
  return {
    call: (name, request, timeoutMs) =>
      new Promise((resolve, reject) => {
        const invoke = method(name)
        if (!invoke) return reject(new Error(`no method ${name}`))
        invoke(
          request,
          metadata(),
          { deadline: Date.now() + timeoutMs },
          (error: grpc.ServiceError | null, response: unknown) =>
            error ? reject(error) : resolve(response as never),
        )
      }),
    events(signal) {
      const stream = (
        client as unknown as {
          WaitPaymentEvent: (
            r: unknown,
            m: grpc.Metadata,
          ) => grpc.ClientReadableStream<Record<string, unknown>>
        }
      ).WaitPaymentEvent({}, metadata())
      signal.addEventListener('abort', () => stream.cancel(), { once: true })
      return stream
    },
    close: () => client.close(),
  }
}
