/**
 * The payment backends, from CASHU_MINT_BACKENDS (a JSON array), each serving some units over
 * some payment methods; without it, the single backend CASHU_MINT_LIGHTNING names serves every
 * unit that has a Lightning price. One backend per method and unit: two claiming the same pair
 * stop the start.
 *
 *   CASHU_MINT_BACKENDS='[
 *     {"kind": "lnd", "units": ["sat"], "socket": "127.0.0.1:10009",
 *      "cert_path": "/lnd/tls.cert", "macaroon_path": "/lnd/mint.macaroon"},
 *     {"kind": "cdk-processor", "units": ["usd"], "address": "127.0.0.1:8090", "tls_dir": "/certs"},
 *     {"kind": "lnbits", "units": ["eur"], "url": "https://lnbits.example", "admin_key_path": "/keys/lnbits"}
 *   ]'
 */
import { z } from 'zod'

const network = z.enum(['bitcoin', 'testnet', 'signet', 'regtest'])
const common = {
  /** How the operator's tools name it (logs, metrics, /health, `cashu-mint backends`); default its kind. */
  name: z
    .string()
    .regex(/^[a-z0-9_-]+$/, 'lowercase letters, digits, _ and -')
    .optional(),
  /** The units it serves (default: every unit with a Lightning price). */
  units: z.array(z.string().min(1)).min(1).optional(),
  /** The payment methods it serves for them. */
  methods: z.array(z.literal('bolt11')).min(1).default(['bolt11']),
}

const Fake = z.object({
  kind: z.literal('fake'),
  ...common,
  /** Before invoices pay themselves and payments complete. */
  delay_ms: z.number().int().nonnegative().default(1000),
})

const Lnd = z
  .object({
    kind: z.literal('lnd'),
    ...common,
    socket: z.string().min(1),
    cert: z.string().optional(),
    cert_path: z.string().optional(),
    macaroon: z.string().optional(),
    macaroon_path: z.string().optional(),
  })
  .refine((b) => b.cert !== undefined || b.cert_path !== undefined, {
    message: 'needs cert_path (or cert)',
    path: ['cert_path'],
  })
  .refine((b) => b.macaroon !== undefined || b.macaroon_path !== undefined, {
    message: 'needs macaroon_path (or macaroon)',
    path: ['macaroon_path'],
  })

const CdkProcessor = z.object({
  kind: z.literal('cdk-processor'),
  ...common,
  /** The processor's gRPC address, host:port. */
  address: z.string().regex(/^[^\s:]+:[0-9]+$/, 'must be host:port'),
  /** A folder with ca.pem (the processor's CA), client.pem and client.key (mutual TLS). */
  tls_dir: z.string().min(1).optional(),
  /** Plain gRPC without TLS, only to a processor on this machine. */
  insecure: z.boolean().default(false),
  /** The chain its Lightning node is on: invoices for another are refused. */
  network: network.default('bitcoin'),
})

const Lnbits = z
  .object({
    kind: z.literal('lnbits'),
    ...common,
    url: z.url(),
    /** The wallet's admin key (it pays); inline, or in a file. */
    admin_key: z.string().min(1).optional(),
    admin_key_path: z.string().min(1).optional(),
    /** The wallet's invoice key, which names its settlement websocket (else the admin key would). */
    invoice_key: z.string().min(1).optional(),
    invoice_key_path: z.string().min(1).optional(),
    network: network.default('bitcoin'),
  })
  .refine((b) => b.admin_key !== undefined || b.admin_key_path !== undefined, {
    message: 'needs admin_key_path (or admin_key)',
    path: ['admin_key_path'],
  })

export const BackendEntry = z.discriminatedUnion('kind', [Fake, Lnd, CdkProcessor, Lnbits])
export type BackendConfig = z.output<typeof BackendEntry>

/** Parses CASHU_MINT_BACKENDS; errors name the entry and field. */
export function parseBackends(json: string): BackendConfig[] {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch (error) {
    throw new Error(`is not JSON: ${(error as Error).message}`)
  }
  const parsed = z.array(BackendEntry).min(1, 'needs at least one backend').safeParse(raw)
  if (!parsed.success)
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
  return parsed.data
}

/**
 * Which backend serves each method for each unit, by index into the list: refuses a pair claimed
 * twice and a unit that is not configured or has no Lightning price, naming the entries.
 */
export function assignUnits(
  backends: readonly BackendConfig[],
  pricedUnits: readonly string[],
  configuredUnits: readonly string[],
): { method: string; unit: string; index: number }[] {
  const routes: { method: string; unit: string; index: number }[] = []
  backends.forEach((backend, index) => {
    for (const unit of backend.units ?? pricedUnits) {
      if (!configuredUnits.includes(unit)) throw new Error(`${index}.units: ${unit} is not a configured unit`)
      if (!pricedUnits.includes(unit))
        throw new Error(`${index}.units: ${unit} has no Lightning price (a "rate")`)
      for (const method of backend.methods) {
        const taken = routes.find((r) => r.method === method && r.unit === unit)
        if (taken)
          throw new Error(
            `${index}: ${method} for ${unit} is already served by backend ${taken.index} (${backends[taken.index]?.kind})`,
          )
        routes.push({ method, unit, index })
      }
    }
  })
  return routes
}
