/**
 * The public listener: the NUT API (public/app.ts) with what the configuration turns on around it:
 * NUT-21/22 access control, the per-client rate limit, NUT-19 response caching, the NUT-06 info the
 * operator keeps current, and NUT-17 websockets fed by every instance's events.
 */
import { nowSeconds } from '@cashu-mint/core/mint'
import { getConnInfo } from '@hono/node-server/conninfo'
import { createNodeWebSocket } from '@hono/node-ws'
import type { Context } from 'hono'
import type { Logger } from 'pino'
import { type AuthSettings, advertisedRules } from '../config/access-rules.ts'
import type { ServerConfig } from '../config/config.ts'
import { VERSION } from '../config/version.ts'
import { checkHealth } from '../observability/health.ts'
import { accessControl } from '../public/access-control.ts'
import { createApp, paymentMethodsOf, routesOf } from '../public/app.ts'
import { createClearAuth } from '../public/clear-auth.ts'
import { mintInfo } from '../public/mint-info.ts'
import { clientAddress, rateLimit } from '../public/rate-limit.ts'
import { responseCaching } from '../public/response-caching.ts'
import { MAX_WEBSOCKET_MESSAGE_BYTES, websocketRoute } from '../public/websocket.ts'
import type { EventFanOut } from './events.ts'
import { type Listener, listen } from './listen.ts'
import type { MintServices } from './mint-services.ts'

export function authSettingsOf(config: ServerConfig, services: MintServices): AuthSettings | undefined {
  const discovery = config.CASHU_MINT_AUTH_OPENID_DISCOVERY
  if (discovery === undefined) return undefined
  return {
    openidDiscovery: discovery,
    clientId: config.CASHU_MINT_AUTH_CLIENT_ID,
    rules: advertisedRules({
      clear: config.CASHU_MINT_AUTH_CLEAR_ENDPOINTS,
      blind: config.CASHU_MINT_AUTH_BLIND_ENDPOINTS,
    }),
    batMaxMint: config.CASHU_MINT_AUTH_BAT_MAX_MINT,
    enabled: () => services.operator.current().auth_enabled ?? true,
  }
}

/** NUT-06 as the operator set it over the configuration. */
function infoOf(config: ServerConfig, services: MintServices, auth: AuthSettings | undefined) {
  return () => {
    const set = services.operator.current()
    return mintInfo(services.settings, services.mint.paymentRoutes(), {
      cacheTtlSeconds: config.CASHU_MINT_CACHE_TTL_SECONDS,
      name: set.name ?? config.CASHU_MINT_NAME,
      description: set.description ?? config.CASHU_MINT_DESCRIPTION,
      descriptionLong: set.description_long,
      contact: set.contact,
      motd: set.motd ?? config.CASHU_MINT_MOTD,
      iconUrl: set.icon_url,
      tosUrl: set.tos_url,
      urls: set.urls ?? (config.CASHU_MINT_URL ? [config.CASHU_MINT_URL] : undefined),
      pubkey: services.mint.publicKey,
      version: VERSION,
      nowSeconds: nowSeconds(services.clock),
      auth: auth?.enabled() ? auth : undefined,
    })
  }
}

export async function startPublicListener(
  config: ServerConfig,
  services: MintServices,
  events: EventFanOut,
  auth: AuthSettings | undefined,
  logger: Logger,
): Promise<{ server: Listener; url: string; closeWebsockets(): void }> {
  const { mint, store, metrics } = services
  const discovery = config.CASHU_MINT_AUTH_OPENID_DISCOVERY
  const methods = paymentMethodsOf(mint)
  const routes = routesOf(mint)
  const app = createApp(mint, {
    routes,
    ...(discovery && auth
      ? {
          accessControl: accessControl({
            mint,
            rules: {
              clear: config.CASHU_MINT_AUTH_CLEAR_ENDPOINTS,
              blind: config.CASHU_MINT_AUTH_BLIND_ENDPOINTS,
            },
            clearAuth: createClearAuth({
              discoveryUrl: discovery,
              clientId: config.CASHU_MINT_AUTH_CLIENT_ID,
              audience: config.CASHU_MINT_AUTH_AUDIENCE,
            }),
            enabled: auth.enabled,
            logger,
            routes,
          }),
        }
      : {}),
    observe: metrics.http('public'),
    health: () => checkHealth({ reports: store.reports, backends: services.backends.backends }),
    corsOrigin: config.CASHU_MINT_CORS_ORIGIN,
    bodyLimitBytes: config.CASHU_MINT_BODY_LIMIT_BYTES,
    info: infoOf(config, services, auth),
    clock: services.clock,
    logger,
    responseCaching: responseCaching(
      store.responseCache,
      config.CASHU_MINT_CACHE_TTL_SECONDS,
      services.clock,
      routes,
    ),
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
  const websockets = createNodeWebSocket({ app })
  // The `ws` server reads its options at each upgrade; its default message limit is 100 MiB.
  websockets.wss.options.maxPayload = MAX_WEBSOCKET_MESSAGE_BYTES
  const clientOf = (c: Context) =>
    clientAddress(
      c.req.header('x-forwarded-for'),
      getConnInfo(c).remote.address,
      config.CASHU_MINT_TRUST_PROXY,
    )
  const route = websocketRoute(mint, events.subscribe, websockets.upgradeWebSocket, {
    methods,
    clientOf,
    perClient: config.CASHU_MINT_WEBSOCKETS_PER_CLIENT,
    idleSeconds: config.CASHU_MINT_WEBSOCKET_IDLE_SECONDS,
  })
  app.get('/v1/ws', route.handler)
  const listening = await listen(app.fetch, config.CASHU_MINT_HOST, config.CASHU_MINT_PORT)
  websockets.injectWebSocket(listening.server as Parameters<typeof websockets.injectWebSocket>[0])
  return {
    ...listening,
    closeWebsockets() {
      route.stop()
      for (const client of websockets.wss.clients) client.close(1001, 'mint shutting down')
    },
  }
}
