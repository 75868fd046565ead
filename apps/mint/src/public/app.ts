/**
 * The NUT HTTP API on Hono: the endpoints of the route table (routes.ts), each of which only parses
 * (lossless JSON, the core's wire schemas), calls one engine method and serializes. Every error
 * becomes a response in `onError`: a MintError is `400 {"detail","code"}`, a dependency that is
 * down a 503, anything else a 500 that reveals nothing.
 */
import { type Clock, type Mint, nowSeconds, systemClock } from '@cashu-mint/core/mint'
import { ErrorCode, MintError } from '@cashu-mint/core/protocol'
import { Hono, type MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import type { Logger } from 'pino'
import { serveDocs } from '../api/docs-page.ts'
import { answerErrors, limitBody, logRequests } from '../api/http-kit.ts'
import { openApiDocument } from '../api/openapi.ts'
import { VERSION } from '../config/version.ts'
import { type Health, healthCode } from '../observability/health.ts'
import { mintInfo } from './mint-info.ts'
import { honoPath, infoRoute, publicRoutes, type RouteEntry } from './routes.ts'

export interface AppOptions {
  corsOrigin: string
  bodyLimitBytes: number
  /** NUT-06 info; default: what the engine's settings say, named `name`. */
  info?: () => unknown
  /** The mint's name in the default info. */
  name?: string
  /** Structured request log; unexpected errors are logged here and never reach the client. */
  logger?: Logger
  /** Applied to every /v1 route when given. */
  rateLimit?: MiddlewareHandler
  /** NUT-21/22 access control (access-control.ts); runs before the NUT-19 cache. */
  accessControl?: MiddlewareHandler
  /** NUT-19 response caching for swap, mint and melt. */
  responseCaching?: MiddlewareHandler
  /** Sees every request (metrics). */
  observe?: MiddlewareHandler
  /** For GET /health, which answers only the status (details are on the admin listener). */
  health?: () => Promise<Health>
  /** The endpoints to serve (routes.ts); default: those of the engine's payment methods. */
  routes?: readonly RouteEntry[]
  /** What the default info's `time` reads; default the system's. */
  clock?: Clock
}

/** The payment methods the engine's backends serve; bolt11 always, which operator credit mints through. */
export const paymentMethodsOf = (mint: Mint) => [
  ...new Set(['bolt11', ...mint.paymentRoutes().map((r) => r.method)]),
]

/** The table's routes for an engine: its payment methods, and NUT-22's with blind auth. */
export const routesOf = (mint: Mint) =>
  publicRoutes(paymentMethodsOf(mint), mint.settings.blindAuth !== undefined)

export function createApp(mint: Mint, options: AppOptions): Hono {
  const app = new Hono()
  const { logger } = options
  logRequests(app, logger, options.observe)
  app.use('*', cors({ origin: options.corsOrigin }))
  if (options.rateLimit) app.use('/v1/*', options.rateLimit)
  app.use('/v1/*', limitBody(options.bodyLimitBytes))
  if (options.accessControl) app.use('/v1/*', options.accessControl)
  if (options.responseCaching) app.use('/v1/*', options.responseCaching)

  const clock = options.clock ?? systemClock
  const info =
    options.info ??
    (() =>
      mintInfo(mint.settings, mint.paymentRoutes(), {
        name: options.name ?? 'cashu-mint',
        pubkey: mint.publicKey,
        version: VERSION,
        nowSeconds: nowSeconds(clock),
      }))
  const routes = [infoRoute(info), ...(options.routes ?? routesOf(mint))]
  const api = openApiDocument('public', VERSION, routes)
  app.get('/openapi.json', (c) => c.json(api))
  serveDocs(app, 'cashu-mint: Cashu NUT API')
  const { health } = options
  if (health)
    app.get('/health', async (c) => {
      const checked = await health()
      return c.json({ status: checked.status }, healthCode(checked))
    })
  for (const route of routes) app.on(route.method, honoPath(route.path), (c) => route.handle(mint, c))
  // A payment method no backend serves is the wallet's mistake, answered as one.
  answerErrors(app, logger, (path) =>
    /^\/v1\/(mint|melt)\//.test(path)
      ? new MintError(ErrorCode.MALFORMED_REQUEST, 'method: this payment method is not supported here')
      : undefined,
  )
  return app
}
