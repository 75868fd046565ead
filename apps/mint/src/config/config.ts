/**
 * The service's configuration, from the environment (CASHU_MINT_* and DATABASE_URL), validated
 * with clear messages. Secrets are not part of it: the seed and the admin token live in their own files (secret-file.ts).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseEnv } from 'node:util'
import { z } from 'zod'
import { parseEndpointList } from './access-rules.ts'
import { type BackendConfig, parseBackends } from './backend-config.ts'
import { parseUnits, type UnitConfig } from './unit-config.ts'

const integer = (fallback: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, 'must be a whole number')
    .transform(Number)
    .optional()
    .transform((value) => value ?? fallback)
const amount = z
  .string()
  .regex(/^[0-9]+$/, 'must be a whole number')
  .transform(BigInt)
  .optional()
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((value) => (value === undefined ? fallback : value === 'true' || value === '1'))

const endpointList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, context) => {
      try {
        return parseEndpointList(text)
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message })
        return z.NEVER
      }
    })

/** A PostgreSQL URL with a host, `memory://`, or (no scheme) a folder for PGlite. */
function isDatabaseUrl(text: string): boolean {
  if (text === 'memory://') return true
  if (!text.includes('://')) return true
  try {
    const url = new URL(text)
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== ''
  } catch {
    return false
  }
}

const Variables = z.object({
  CASHU_MINT_HOST: z.string().default('127.0.0.1'),
  CASHU_MINT_PORT: integer(3338),
  CASHU_MINT_DATA_DIR: z.string().default('./data'),
  /** The URL wallets reach the mint at, written into the tokens the mint hands out (change). */
  CASHU_MINT_URL: z.url().optional(),
  /** The admin listener: loopback by default; port 0 picks a free one. */
  CASHU_MINT_ADMIN_HOST: z.string().default('127.0.0.1'),
  CASHU_MINT_ADMIN_PORT: integer(3339),
  /** The admin bearer token; without it one is generated into <data dir>/admin-token. */
  CASHU_MINT_ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * `postgres://…` switches from the embedded PGlite (in <data dir>/pglite) to PostgreSQL; a folder
   * path puts PGlite there, `memory://` keeps a throwaway one in memory.
   */
  DATABASE_URL: z
    .string()
    .refine(isDatabaseUrl, 'must be postgres://user:password@host/database, a folder path or memory://')
    .optional(),
  CASHU_MINT_NAME: z.string().default('cashu-mint'),
  CASHU_MINT_DESCRIPTION: z.string().optional(),
  CASHU_MINT_MOTD: z.string().optional(),
  CASHU_MINT_UNIT: z
    .string()
    .regex(/^[a-z0-9_]+$/, 'must be a lowercase unit name')
    .refine((unit) => unit !== 'auth', 'auth is reserved for NUT-22 blind auth tokens')
    .default('sat'),
  CASHU_MINT_INPUT_FEE_PPK: amount.transform((value) => value ?? 0n),
  /** Also list each keyset under its v1 (`00`) id, for wallets that know no other (cashu-ts 2.x). */
  CASHU_MINT_V1_KEYSET_IDS: flag(false),
  /** Several units, each with its keysets, Lightning switches and price (unit-config.ts); replaces CASHU_MINT_UNIT. */
  CASHU_MINT_UNITS: z
    .string()
    .optional()
    .transform((json, context) => {
      if (json === undefined) return undefined
      try {
        return parseUnits(json)
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message })
        return z.NEVER
      }
    }),
  CASHU_MINT_MIN_AMOUNT: amount,
  CASHU_MINT_MAX_AMOUNT: amount,
  CASHU_MINT_MINT_DISABLED: flag(false),
  CASHU_MINT_MELT_DISABLED: flag(false),
  CASHU_MINT_MAX_INPUTS: integer(1000),
  CASHU_MINT_MAX_OUTPUTS: integer(1000),
  CASHU_MINT_FEE_PERCENT: z
    .string()
    .regex(/^[0-9]+(\.[0-9]+)?$/, 'must be a number')
    .transform(Number)
    .optional()
    .transform((value) => value ?? 1),
  CASHU_MINT_FEE_MIN: amount.transform((value) => value ?? 2n),
  /** How long POST /v1/melt waits for the payment before answering PENDING. */
  CASHU_MINT_MELT_WAIT_SECONDS: integer(60),
  /** The one backend for every priced unit, when CASHU_MINT_BACKENDS does not list them (default fake). */
  CASHU_MINT_LIGHTNING: z.enum(['fake', 'lnd']).optional(),
  /** Several payment backends, each for some units and methods (backend-config.ts). */
  CASHU_MINT_BACKENDS: z
    .string()
    .optional()
    .transform((json, context) => {
      if (json === undefined) return undefined
      try {
        return parseBackends(json)
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message })
        return z.NEVER
      }
    }),
  CASHU_MINT_FAKE_DELAY_MS: integer(1000),
  /**
   * A signer in another process (host:port, as its certificate names the host): the keys live
   * there, and this service holds no seed (docs/signer.md). Its TLS folder has ca.pem, client.pem
   * and client.key.
   */
  CASHU_MINT_SIGNER: z
    .string()
    .regex(/^(\[[0-9a-f:]+\]|[^:\s]+):[0-9]{1,5}$/i, 'must be host:port')
    .optional(),
  CASHU_MINT_SIGNER_TLS_DIR: z.string().optional(),
  /** How long a call to the signer may take before the wallet is told to retry (503). */
  CASHU_MINT_SIGNER_TIMEOUT_MS: integer(5000).refine((n) => n >= 100, 'must be at least 100'),
  /** LND's gRPC address (host:port), its tls.cert and a macaroon, inline or as files. */
  CASHU_MINT_LND_SOCKET: z.string().optional(),
  CASHU_MINT_LND_CERT: z.string().optional(),
  CASHU_MINT_LND_CERT_PATH: z.string().optional(),
  CASHU_MINT_LND_MACAROON: z.string().optional(),
  CASHU_MINT_LND_MACAROON_PATH: z.string().optional(),
  /**
   * How old a melt must be before "the node has no such payment" releases its proofs: a pay call
   * sent a moment ago may not have reached the node yet.
   */
  CASHU_MINT_FAILED_PAYMENT_GRACE_SECONDS: integer(30),
  CASHU_MINT_CORS_ORIGIN: z.string().default('*'),
  CASHU_MINT_BODY_LIMIT_BYTES: integer(1_000_000),
  /** Requests per minute per client address; 0 turns the limit off. */
  CASHU_MINT_RATE_LIMIT_PER_MINUTE: integer(600),
  /** Believe X-Forwarded-For (set only behind a reverse proxy you run). */
  CASHU_MINT_TRUST_PROXY: flag(false),
  /**
   * NUT-17 websockets one client address may hold. Behind a proxy (without CASHU_MINT_TRUST_PROXY)
   * or a carrier-grade NAT every wallet shares one address, so a new connection beyond this closes
   * that address's least active one instead of being refused.
   */
  CASHU_MINT_WEBSOCKETS_PER_CLIENT: integer(2000).refine((n) => n >= 1, 'must be at least 1'),
  /** A websocket with no subscription and no message for this long is closed. */
  CASHU_MINT_WEBSOCKET_IDLE_SECONDS: integer(300).refine((n) => n >= 1, 'must be at least 1'),
  /** NUT-19: how long swap, mint and melt responses are replayed to a retrying wallet. */
  CASHU_MINT_CACHE_TTL_SECONDS: integer(3600),
  /**
   * Processes serving requests; signing is CPU bound, so PostgreSQL deployments use every core.
   * PGlite is single-process: it always runs one. Default: the number of cores with PostgreSQL.
   */
  CASHU_MINT_WORKERS: z
    .string()
    .regex(/^[1-9][0-9]*$/, 'must be a positive whole number')
    .transform(Number)
    .optional(),
  /**
   * NUT-21: the OpenID Connect provider's discovery URL (…/.well-known/openid-configuration).
   * Setting it turns access control on: clear auth (the provider's access tokens) and blind auth
   * (BATs of the `auth` keyset) on the endpoints listed below.
   */
  CASHU_MINT_AUTH_OPENID_DISCOVERY: z.url().optional(),
  /** The OpenID client wallets log in with (public, no secret); tokens for another client are refused. */
  CASHU_MINT_AUTH_CLIENT_ID: z.string().min(1).default('cashu-client'),
  /** When set, an access token's `aud` must include it (the provider's resource id for the mint). */
  CASHU_MINT_AUTH_AUDIENCE: z.string().min(1).optional(),
  /** Endpoints that need a clear auth token: `POST /v1/mint/quote/bolt11, GET /v1/mint/*`. */
  CASHU_MINT_AUTH_CLEAR_ENDPOINTS: endpointList('POST /v1/auth/blind/mint'),
  /** Endpoints that need a blind auth token (one BAT per request). */
  CASHU_MINT_AUTH_BLIND_ENDPOINTS: endpointList(''),
  /** NUT-22 `bat_max_mint`: BATs per mint request. */
  CASHU_MINT_AUTH_BAT_MAX_MINT: integer(50),
  /** BAT mint requests per user (OpenID subject) per minute. */
  CASHU_MINT_AUTH_BAT_MINTS_PER_MINUTE: integer(10),
  CASHU_MINT_LOG_LEVEL: z
    .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
    .default('info'),
})

const Environment = Variables.superRefine((config, context) => {
  const missing = (path: string, message: string) =>
    context.addIssue({ code: 'custom', path: [path], message })
  checkAuth(config, missing)
  if (config.CASHU_MINT_SIGNER && !config.CASHU_MINT_SIGNER_TLS_DIR)
    missing(
      'CASHU_MINT_SIGNER_TLS_DIR',
      'the signer is reached over mutual TLS only: its folder of certificates',
    )
  if (config.CASHU_MINT_SIGNER && config.CASHU_MINT_V1_KEYSET_IDS)
    missing('CASHU_MINT_V1_KEYSET_IDS', 'a remote signer names keysets by their 01 id only')
  if (config.CASHU_MINT_BACKENDS && config.CASHU_MINT_LIGHTNING)
    missing('CASHU_MINT_LIGHTNING', 'set CASHU_MINT_BACKENDS or CASHU_MINT_LIGHTNING, not both')
  if (config.CASHU_MINT_LIGHTNING !== 'lnd') return
  if (!config.CASHU_MINT_LND_SOCKET)
    missing('CASHU_MINT_LND_SOCKET', 'required with CASHU_MINT_LIGHTNING=lnd')
  if (!config.CASHU_MINT_LND_CERT && !config.CASHU_MINT_LND_CERT_PATH)
    missing('CASHU_MINT_LND_CERT_PATH', 'LND needs its TLS certificate (or CASHU_MINT_LND_CERT)')
  if (!config.CASHU_MINT_LND_MACAROON && !config.CASHU_MINT_LND_MACAROON_PATH)
    missing('CASHU_MINT_LND_MACAROON_PATH', 'LND needs a macaroon (or CASHU_MINT_LND_MACAROON)')
})

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** NUT-21/22 settings that make sense together; without a provider none may be set. */
function checkAuth(
  config: z.output<typeof Variables>,
  problem: (path: string, message: string) => void,
): void {
  const discovery = config.CASHU_MINT_AUTH_OPENID_DISCOVERY
  if (discovery === undefined) {
    const clearChanged = config.CASHU_MINT_AUTH_CLEAR_ENDPOINTS.some((e) => e.path !== '/v1/auth/blind/mint')
    if (config.CASHU_MINT_AUTH_BLIND_ENDPOINTS.length > 0 || clearChanged || config.CASHU_MINT_AUTH_AUDIENCE)
      problem(
        'CASHU_MINT_AUTH_OPENID_DISCOVERY',
        'access control needs the OpenID provider: the mint would run open',
      )
    return
  }
  const url = new URL(discovery)
  if (url.protocol !== 'https:' && !LOOPBACK.has(url.hostname))
    problem(
      'CASHU_MINT_AUTH_OPENID_DISCOVERY',
      'must be https (http only on loopback): the keys come from there',
    )
  const batMax = config.CASHU_MINT_AUTH_BAT_MAX_MINT
  if (batMax < 1 || batMax > config.CASHU_MINT_MAX_OUTPUTS)
    problem(
      'CASHU_MINT_AUTH_BAT_MAX_MINT',
      `must be 1 to CASHU_MINT_MAX_OUTPUTS (${config.CASHU_MINT_MAX_OUTPUTS})`,
    )
  if (config.CASHU_MINT_AUTH_BAT_MINTS_PER_MINUTE < 1)
    problem('CASHU_MINT_AUTH_BAT_MINTS_PER_MINUTE', 'must be at least 1')
}

export type ServerConfig = z.output<typeof Environment>

/** The configured units: CASHU_MINT_UNITS, or the single CASHU_MINT_UNIT with the flat settings. */
export function unitsOf(config: ServerConfig): UnitConfig[] {
  return (
    config.CASHU_MINT_UNITS ?? [
      {
        unit: config.CASHU_MINT_UNIT,
        inputFeePpk: config.CASHU_MINT_INPUT_FEE_PPK,
        mint: true,
        melt: true,
        minAmount: config.CASHU_MINT_MIN_AMOUNT,
        maxAmount: config.CASHU_MINT_MAX_AMOUNT,
        rate: undefined,
      },
    ]
  )
}

/**
 * Reads the configuration from the environment and, when CASHU_MINT_CONFIG_FILE names one, from
 * that file (KEY=value lines, as a .env file); the environment wins. Throws one Error listing
 * every bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  // An empty variable (`DATABASE_URL=${DATABASE_URL}` in a compose file) is an unset one.
  const set = (values: Record<string, string | undefined>) =>
    Object.fromEntries(
      Object.entries(values).filter(([, value]) => value !== undefined && value.trim() !== ''),
    )
  const file = set(env).CASHU_MINT_CONFIG_FILE
  let fromFile: Record<string, string> = {}
  if (file) {
    try {
      fromFile = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>
    } catch (error) {
      throw new Error(
        `invalid configuration: cannot read CASHU_MINT_CONFIG_FILE ${file}: ${(error as Error).message}`,
      )
    }
  }
  const result = Environment.safeParse({ ...set(fromFile), ...set(env) })
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
  throw new Error(`invalid configuration:\n${problems.join('\n')}`)
}

/**
 * The payment backends: CASHU_MINT_BACKENDS, or the one CASHU_MINT_LIGHTNING names (LND from the
 * CASHU_MINT_LND_* variables, or the FakeWallet) for every unit with a Lightning price.
 */
export function backendsOf(config: ServerConfig): BackendConfig[] {
  if (config.CASHU_MINT_BACKENDS) return config.CASHU_MINT_BACKENDS
  if (config.CASHU_MINT_LIGHTNING !== 'lnd')
    return [{ kind: 'fake', methods: ['bolt11'], delay_ms: config.CASHU_MINT_FAKE_DELAY_MS }]
  return [
    {
      kind: 'lnd',
      methods: ['bolt11'],
      socket: config.CASHU_MINT_LND_SOCKET ?? '',
      cert: config.CASHU_MINT_LND_CERT,
      cert_path: config.CASHU_MINT_LND_CERT_PATH,
      macaroon: config.CASHU_MINT_LND_MACAROON,
      macaroon_path: config.CASHU_MINT_LND_MACAROON_PATH,
    },
  ]
}

/** PostgreSQL when DATABASE_URL is set, else PGlite in the data folder. */
export function databaseUrlOf(config: ServerConfig): string {
  return config.DATABASE_URL ?? join(config.CASHU_MINT_DATA_DIR, 'pglite')
}
