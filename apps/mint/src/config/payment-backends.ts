/**
 * Connects the configured payment backends (backend-config.ts) and says which serves each method
 * and unit. Each backend's client is loaded only when it is configured (LND's gRPC client and its
 * protobufs are most of a process's memory otherwise), and each is asked something at once, so an
 * unreachable node or processor, a wrong key or a wrong certificate stops the start with a message
 * naming the setting, instead of the first wallet finding out.
 */
import type { BackendRoute, Clock, PaymentBackend } from '@cashu-mint/core/mint'
import { FakeWallet } from '@cashu-mint/fake-wallet'
import { assignUnits, type BackendConfig } from './backend-config.ts'
import { backendsOf, type ServerConfig, unitsOf } from './config.ts'
import { readSecretText } from './secret-file.ts'

export interface ConnectedBackend {
  /** The operator's name for it: in logs, metrics, /health and `cashu-mint backends`. */
  label: string
  kind: BackendConfig['kind']
  backend: PaymentBackend
  /** For logs: what is behind it, never a credential. */
  description: string
}

export interface ConnectedBackends {
  backends: ConnectedBackend[]
  routes: BackendRoute[]
}

/** Where a backend's settings come from, for messages. */
const settingOf = (config: ServerConfig, index: number) =>
  config.CASHU_MINT_BACKENDS ? `CASHU_MINT_BACKENDS[${index}]` : 'CASHU_MINT_LIGHTNING'

async function connect(
  entry: BackendConfig,
  clock: Clock,
): Promise<Omit<ConnectedBackend, 'label' | 'kind'>> {
  switch (entry.kind) {
    case 'fake': {
      const backend = new FakeWallet({
        autoPayDelayMs: entry.delay_ms,
        clock,
        ...(entry.name ? { name: entry.name } : {}),
      })
      return { backend, description: 'FakeWallet' }
    }
    case 'lnd': {
      const { connectLnd } = await import('@cashu-mint/lnd')
      const backend = await connectLnd({
        socket: entry.socket,
        cert: entry.cert,
        certPath: entry.cert_path,
        macaroon: entry.macaroon,
        macaroonPath: entry.macaroon_path,
      })
      return { backend, description: `LND ${backend.publicKey} on ${backend.network} at ${entry.socket}` }
    }
    case 'cdk-processor': {
      const { connectCdkProcessor } = await import('@cashu-mint/cdk-processor')
      const backend = await connectCdkProcessor({
        address: entry.address,
        tlsDir: entry.tls_dir,
        insecure: entry.insecure,
        network: entry.network,
      })
      return { backend, description: `CDK payment processor at ${entry.address}` }
    }
    case 'lnbits': {
      const { connectLnbits } = await import('@cashu-mint/lnbits')
      const adminKey = entry.admin_key ?? (await readSecretText(entry.admin_key_path as string))
      const invoiceKey =
        entry.invoice_key ?? (entry.invoice_key_path && (await readSecretText(entry.invoice_key_path)))
      const backend = await connectLnbits({
        url: entry.url,
        adminKey,
        invoiceKey: invoiceKey || undefined,
        network: entry.network,
      })
      return { backend, description: `LNbits wallet ${backend.walletName} at ${new URL(entry.url).origin}` }
    }
  }
}

export async function connectBackends(config: ServerConfig, clock: Clock): Promise<ConnectedBackends> {
  const entries = backendsOf(config)
  const units = unitsOf(config)
  const priced = units.filter((u) => u.unit === 'sat' || u.unit === 'msat' || u.rate).map((u) => u.unit)
  let pairs: ReturnType<typeof assignUnits>
  try {
    pairs = assignUnits(
      entries,
      priced,
      units.map((u) => u.unit),
    )
  } catch (error) {
    throw new Error(
      `${config.CASHU_MINT_BACKENDS ? 'CASHU_MINT_BACKENDS' : 'CASHU_MINT_LIGHTNING'}: ${(error as Error).message}`,
    )
  }
  const backends: ConnectedBackend[] = []
  for (const [index, entry] of entries.entries()) {
    const connected = await connect(entry, clock).catch((error: Error) => {
      throw new Error(`${settingOf(config, index)} (${entry.kind}): ${error.message}`)
    })
    const label =
      entry.name ??
      (entries.filter((e) => e.kind === entry.kind).length > 1 ? `${entry.kind}-${index}` : entry.kind)
    backends.push({ label, kind: entry.kind, ...connected })
  }
  const routes = pairs.map(({ method, unit, index }) => ({
    method,
    unit,
    backend: (backends[index] as ConnectedBackend).backend,
  }))
  return { backends, routes }
}
