/**
 * CDK's payment processor (crates.io `cdk-payment-processor` 0.18.3, scripts/cdk-processor.sh) in
 * a child process, in front of its fake backend or of an LND node, with mutual TLS when given a
 * folder of certificates (server.pem, server.key and ca.pem, as config/tls-certificates.ts writes
 * them).
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeCertificates, writeCertificates } from '../../src/config/tls-certificates.ts'
import { freePort } from '../free-port.ts'
import { listening, type PeerProcess, startPeer, tool } from './peer-process.ts'

export interface ProcessorOptions {
  /** FAKEWALLET, or LND with the node's address, certificate and macaroon. */
  backend: { kind: 'FAKEWALLET' } | { kind: 'LND'; address: string; certPath: string; macaroonPath: string }
  tlsDir?: string
  port?: number
}

export interface RunningProcessor extends PeerProcess {
  address: string
  port: number
}

/** Certificates for a peer on this machine (a processor, a signer): its TLS folder (`server`) and the mint's (`client`). */
export async function peerCertificates(): Promise<{ server: string; client: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'processor-certs-'))
  return writeCertificates(dir, await makeCertificates({ hosts: ['127.0.0.1', 'localhost'] }))
}

export async function startCdkProcessor(options: ProcessorOptions): Promise<RunningProcessor> {
  const port = options.port ?? (await freePort())
  const backend = options.backend
  const peer = await startPeer({
    name: 'cdk-payment-processor',
    command: tool('cdk-processor.sh'),
    // Its own log, kept for the error when a test fails.
    args: ['--enable-logging', '--log-level', process.env.CDK_PROCESSOR_LOG ?? 'info'],
    env: {
      CDK_PAYMENT_PROCESSOR_BACKEND: backend.kind,
      CDK_PAYMENT_PROCESSOR_LISTEN_HOST: '127.0.0.1',
      CDK_PAYMENT_PROCESSOR_LISTEN_PORT: String(port),
      // A reserve the node's router may spend: without one LND is only allowed free routes.
      CDK_PAYMENT_PROCESSOR_FEE_PERCENT: '0.01',
      CDK_PAYMENT_PROCESSOR_RESERVE_FEE_MIN: '10',
      ...(options.tlsDir ? { CDK_PAYMENT_PROCESSOR_TLS_DIR: options.tlsDir } : {}),
      ...(backend.kind === 'LND'
        ? {
            CDK_PAYMENT_PROCESSOR_LND_ADDRESS: `https://${backend.address}`,
            CDK_PAYMENT_PROCESSOR_LND_CERT_FILE: backend.certPath,
            CDK_PAYMENT_PROCESSOR_LND_MACAROON_FILE: backend.macaroonPath,
          }
        : {}),
    },
    ready: () => listening(port),
  })
  return { ...peer, address: `127.0.0.1:${port}`, port }
}
