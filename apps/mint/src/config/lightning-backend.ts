/**
 * The Lightning backend the configuration names: LND, or the FakeWallet for development. LND's
 * client (gRPC, its protobufs) is loaded only when it is the one configured: it is most of a
 * process's memory otherwise.
 */
import type { Bolt11Network } from '@cashu-mint/core/lightning'
import type { Clock, LightningBackend } from '@cashu-mint/core/mint'
import { FakeWallet } from '@cashu-mint/fake-wallet'
import type { ServerConfig } from './config.ts'

export interface ConnectedLightning {
  backend: LightningBackend
  /** The chain the node is on: invoices for another network are refused. */
  network: Bolt11Network
  /** For logs: which backend and node, never a credential. */
  description: string
}

export async function connectLightning(config: ServerConfig, clock: Clock): Promise<ConnectedLightning> {
  if (config.CASHU_MINT_LIGHTNING === 'fake') {
    const backend = new FakeWallet({ autoPayDelayMs: config.CASHU_MINT_FAKE_DELAY_MS, clock })
    return { backend, network: 'bitcoin', description: 'FakeWallet' }
  }
  const { connectLnd } = await import('@cashu-mint/lnd')
  const backend = await connectLnd({
    socket: config.CASHU_MINT_LND_SOCKET ?? '',
    cert: config.CASHU_MINT_LND_CERT,
    certPath: config.CASHU_MINT_LND_CERT_PATH,
    macaroon: config.CASHU_MINT_LND_MACAROON,
    macaroonPath: config.CASHU_MINT_LND_MACAROON_PATH,
  })
  return {
    backend,
    network: backend.network,
    description: `LND ${backend.publicKey} on ${backend.network} at ${config.CASHU_MINT_LND_SOCKET}`,
  }
}
