/**
 * CDK's payment processor (mutual TLS) and LNbits, both in front of one LND node, with a wallet made
 * in LNbits for the mint: the new backends' peers as the regtest suites and the backends benchmark
 * run them.
 */
import type { LndNode } from '../regtest/regtest-network.ts'
import { peerCertificates, type RunningProcessor, startCdkProcessor } from './cdk-processor.ts'
import { type RunningLnbits, startLnbits } from './lnbits.ts'

export interface PeersOnLnd {
  processor: RunningProcessor
  /** The processor's TLS folder (`server`) and the mint's (`client`). */
  certs: { server: string; client: string }
  lnbits: RunningLnbits
  /** The LNbits wallet for the mint. */
  lnbitsWallet: { id: string; adminKey: string; invoiceKey: string }
  stop(): Promise<void>
}

export async function startPeersOnLnd(node: LndNode): Promise<PeersOnLnd> {
  const certs = await peerCertificates()
  const [processor, lnbits] = await Promise.all([
    startCdkProcessor({
      backend: {
        kind: 'LND',
        address: node.socket,
        certPath: node.certPath,
        macaroonPath: node.adminMacaroonPath,
      },
      tlsDir: certs.server,
    }),
    startLnbits({
      kind: 'LndRestWallet',
      endpoint: node.rest,
      certPath: node.certPath,
      macaroonPath: node.adminMacaroonPath,
    }),
  ])
  return {
    processor,
    certs,
    lnbits,
    lnbitsWallet: await lnbits.newWallet('mint'),
    stop: async () => {
      await Promise.all([processor.kill(), lnbits.kill()])
    },
  }
}
