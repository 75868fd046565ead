/**
 * Starts the whole service: seed, database (migrated), Lightning backend, engine, HTTP listener.
 * `stop()` stops accepting connections, lets in-flight requests finish, then stops the engine and
 * closes the database.
 */
import { STATUS_CODES } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { defaultCurveBackend } from '@cashu-mint/core/crypto'
import { ensureKeysets, type MintEvent, startMint } from '@cashu-mint/core/mint'
import { ErrorCode } from '@cashu-mint/core/protocol'
import { type EventChannel, openEventChannel, openStore } from '@cashu-mint/storage'
import { serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { createNodeWebSocket } from '@hono/node-ws'
import type { Context } from 'hono'
import { type Logger, pino } from 'pino'
import { createAdminApp } from './admin/admin-app.ts'
import { advertisedRules } from './config/access-rules.ts'
import { databaseUrlOf, type ServerConfig, unitsOf } from './config/config.ts'
import { connectLightning } from './config/lightning-backend.ts'
import { keysetPlanFrom, mintSettingsFrom } from './config/mint-settings.ts'
import { createOperatorControl } from './config/operator-settings.ts'
import { rateSourceFor } from './config/rate-sources.ts'
import { loadOrCreateSecret } from './config/secret-file.ts'
import { VERSION } from './config/version.ts'
import { reduceMemoryWhenIdle } from './idle-memory.ts'
import { checkHealth } from './observability/health.ts'
import { createMetrics } from './observability/metrics.ts'
import { accessControl } from './public/access-control.ts'
import { createApp } from './public/app.ts'
import { createClearAuth } from './public/clear-auth.ts'
import { mintInfo } from './public/mint-info.ts'
import { clientAddress, rateLimit } from './public/rate-limit.ts'
import { responseCaching } from './public/response-caching.ts'
import { MAX_WEBSOCKET_MESSAGE_BYTES, websocketRoute } from './public/websocket.ts'

/**
 * Node's limits for what a client may make the server hold: headers of at most 16 KiB that must
 * arrive within 10 s, a whole request within 30 s (a melt may still take its time to answer), and
 * idle keep-alive connections closed after 5 s.
 */
const SERVER_OPTIONS = {
  maxHeaderSize: 16 * 1024,
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
}

/**
 * A request Node refuses before Hono sees it (headers or URL over the limit, too slow, not HTTP) gets
 * a JSON answer and `Connection: close`, and what the client is still sending is read and dropped
 * until it closes: closing with unread data would reset the connection before the client reads the
 * answer.
 */
function answerClientErrors(server: ReturnType<typeof serve>): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return void socket.destroy()
    const status =
      error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
    const body = JSON.stringify({
      detail: `request refused: ${STATUS_CODES[status]}`,
      code: ErrorCode.MALFORMED_REQUEST,
    })
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    )
    socket.resume()
    setTimeout(() => socket.destroy(), 5000).unref()
  })
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], hostname: string, port: number) {
  return new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch, hostname, port, serverOptions: SERVER_OPTIONS }, () => resolve(started))
    answerClientErrors(started)
  })
}

/** The database URL the configuration names: PostgreSQL, or PGlite in the data folder. */
/** The admin bearer token: configured, or generated once into the data folder (mode 0600). */
async function adminTokenFor(config: ServerConfig, logger: Logger): Promise<string> {
  if (config.CASHU_MINT_ADMIN_TOKEN) return config.CASHU_MINT_ADMIN_TOKEN
  const token = await loadOrCreateSecret(config.CASHU_MINT_DATA_DIR, 'admin-token')
  if (token.created) logger.warn({ path: token.path }, 'created the admin API token')
  return token.value
}

async function seedFor(config: ServerConfig, logger: Logger): Promise<string> {
  const seed = await loadOrCreateSecret(config.CASHU_MINT_DATA_DIR, 'seed')
  if (seed.created) {
    logger.warn({ path: seed.path }, 'created a new seed: back it up, every keyset derives from it')
  }
  return seed.value
}

/**
 * Everything that must happen once before several workers start: the Lightning check (so a node
 * that is unreachable or under-privileged stops the start instead of crash-looping workers), the
 * seed file, migrations and the first keysets. Workers doing it concurrently would race on the
 * last three. No engine starts here, so no melt recovery asks the backend anything.
 */
export async function prepareMint(config: ServerConfig, logger: Logger): Promise<void> {
  await connectLightning(config)
  await adminTokenFor(config, logger)
  const seed = await seedFor(config, logger)
  const store = await openStore({ url: databaseUrlOf(config), maxConnections: 2 })
  try {
    const now = BigInt(Math.floor(Date.now() / 1000))
    await ensureKeysets(store, defaultCurveBackend(), seed, keysetPlanFrom(config), now)
  } finally {
    await store.close()
  }
}

export async function startServer(
  config: ServerConfig,
  logger: Logger = pino({ level: config.CASHU_MINT_LOG_LEVEL }),
) {
  const seed = await seedFor(config, logger)
  const databaseUrl = databaseUrlOf(config)
  // Connecting first: a node that is unreachable, locked or under-privileged stops the start here.
  const connected = await connectLightning(config)
  const lightning = connected.backend
  const store = await openStore({ url: databaseUrl })
  const settings = mintSettingsFrom(config, connected.network)
  const units = unitsOf(config)
  let channel: EventChannel | undefined
  const operator = await createOperatorControl({
    store: store.operatorSettings,
    settings,
    units,
    publish: async () => channel?.publish({ kind: 'settings' }),
  })
  const rates = rateSourceFor(units)
  const metrics = createMetrics({ reports: store.reports, lightning })
  const engine = await startMint({
    store: metrics.timeStore(store),
    lightning,
    ...(rates ? { rates } : {}),
    seed,
    settings,
    keysets: keysetPlanFrom(config),
  })
  const mint = metrics.instrument(engine)
  const discovery = config.CASHU_MINT_AUTH_OPENID_DISCOVERY
  const rules = {
    clear: config.CASHU_MINT_AUTH_CLEAR_ENDPOINTS,
    blind: config.CASHU_MINT_AUTH_BLIND_ENDPOINTS,
  }
  const authOn = () => discovery !== undefined && (operator.current().auth_enabled ?? true)
  const auth =
    discovery === undefined
      ? undefined
      : {
          openidDiscovery: discovery,
          clientId: config.CASHU_MINT_AUTH_CLIENT_ID,
          rules: advertisedRules(rules),
          batMaxMint: config.CASHU_MINT_AUTH_BAT_MAX_MINT,
        }
  const app = createApp(mint, {
    ...(discovery
      ? {
          accessControl: accessControl({
            mint,
            rules,
            clearAuth: createClearAuth({
              discoveryUrl: discovery,
              clientId: config.CASHU_MINT_AUTH_CLIENT_ID,
              audience: config.CASHU_MINT_AUTH_AUDIENCE,
            }),
            enabled: authOn,
            logger,
          }),
        }
      : {}),
    observe: metrics.http('public'),
    health: () => checkHealth({ reports: store.reports, lightning }),
    corsOrigin: config.CASHU_MINT_CORS_ORIGIN,
    bodyLimitBytes: config.CASHU_MINT_BODY_LIMIT_BYTES,
    info: () => {
      const set = operator.current()
      return mintInfo(settings, {
        cacheTtlSeconds: config.CASHU_MINT_CACHE_TTL_SECONDS,
        name: set.name ?? config.CASHU_MINT_NAME,
        description: set.description ?? config.CASHU_MINT_DESCRIPTION,
        descriptionLong: set.description_long,
        contact: set.contact,
        motd: set.motd ?? config.CASHU_MINT_MOTD,
        iconUrl: set.icon_url,
        tosUrl: set.tos_url,
        urls: set.urls ?? (config.CASHU_MINT_URL ? [config.CASHU_MINT_URL] : undefined),
        pubkey: mint.publicKey,
        version: VERSION,
        nowSeconds: BigInt(Math.floor(Date.now() / 1000)),
        auth: authOn() ? auth : undefined,
      })
    },
    logger,
    responseCaching: responseCaching(store.responseCache, config.CASHU_MINT_CACHE_TTL_SECONDS),
    ...(config.CASHU_MINT_RATE_LIMIT_PER_MINUTE > 0
      ? {
          rateLimit: rateLimit({
            perMinute: config.CASHU_MINT_RATE_LIMIT_PER_MINUTE,
            trustProxy: config.CASHU_MINT_TRUST_PROXY,
            peerAddress: (c) => getConnInfo(c).remote.address,
          }),
        }
      : {}),
  })
  const purge = setInterval(() => {
    const before = BigInt(Math.floor(Date.now() / 1000) - config.CASHU_MINT_CACHE_TTL_SECONDS)
    store.responseCache
      .purge(before)
      .catch((error) => logger.warn({ err: error }, 'purging cached responses failed'))
  }, 600_000)
  purge.unref()
  // Events reach websocket clients from this instance and, on PostgreSQL, from every other one.
  const listeners = new Set<(event: MintEvent) => void>()
  const deliver = (event: MintEvent) => {
    for (const listener of listeners) listener(event)
  }
  // Another instance rotated keysets: reload ours; every other event goes to our websockets.
  const fromOtherInstance = (event: MintEvent) => {
    if (event.kind === 'settings')
      return void operator
        .reload()
        .catch((error) => logger.error({ err: error }, 'reloading settings failed'))
    if (event.kind !== 'keysets') return deliver(event)
    mint.reloadKeysets().catch((error) => logger.error({ err: error }, 'reloading keysets failed'))
  }
  channel = databaseUrl.startsWith('postgres')
    ? await openEventChannel(databaseUrl, fromOtherInstance)
    : undefined
  mint.subscribe((event) => {
    deliver(event)
    channel?.publish(event).catch((error) => logger.warn({ err: error }, 'publishing an event failed'))
  })
  const subscribe = (listener: (event: MintEvent) => void) => {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }
  const websockets = createNodeWebSocket({ app })
  // The `ws` server reads its options at each upgrade; its default message limit is 100 MiB.
  websockets.wss.options.maxPayload = MAX_WEBSOCKET_MESSAGE_BYTES
  const clientOf = (c: Context) =>
    clientAddress(
      c.req.header('x-forwarded-for'),
      getConnInfo(c).remote.address,
      config.CASHU_MINT_TRUST_PROXY,
    )
  app.get('/v1/ws', ...websocketRoute(mint, subscribe, websockets.upgradeWebSocket, clientOf))
  const server = await listen(app.fetch, config.CASHU_MINT_HOST, config.CASHU_MINT_PORT)
  websockets.injectWebSocket(server as Parameters<typeof websockets.injectWebSocket>[0])
  const { port } = server.address() as AddressInfo
  const url = `http://${config.CASHU_MINT_HOST}:${port}`
  const admin = createAdminApp(mint, {
    operator,
    reports: store.reports,
    exportSnapshot: () => store.exportSnapshot(),
    ...(auth ? { auth: { ...auth, enabled: authOn } } : {}),
    lightning,
    metrics,
    token: await adminTokenFor(config, logger),
    mintUrl: config.CASHU_MINT_URL ?? url,
    bodyLimitBytes: config.CASHU_MINT_BODY_LIMIT_BYTES,
    clientOf: (c) => getConnInfo(c).remote.address ?? 'unknown',
    logger,
  })
  const adminServer = await listen(admin.fetch, config.CASHU_MINT_ADMIN_HOST, config.CASHU_MINT_ADMIN_PORT)
  const adminUrl = `http://${config.CASHU_MINT_ADMIN_HOST}:${(adminServer.address() as AddressInfo).port}`
  const idleMemory = reduceMemoryWhenIdle([server, adminServer])
  const database = databaseUrl.includes('://')
    ? databaseUrl.replace(/\/\/[^@/]*@/, '//***@')
    : `PGlite in ${databaseUrl}`
  logger.info(
    { url, adminUrl, units: units.map((u) => u.unit), lightning: connected.description, database },
    'mint listening',
  )
  return {
    url,
    adminUrl,
    mint,
    lightning,
    async stop() {
      for (const client of websockets.wss.clients) client.close(1001, 'mint shutting down')
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await new Promise<void>((resolve) => adminServer.close(() => resolve()))
      clearInterval(purge)
      idleMemory.stop()
      await channel?.close()
      await mint.stop()
      await store.close()
    },
  }
}
