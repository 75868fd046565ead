/**
 * The admin API, on its own listener (loopback by default) behind a bearer token: what the
 * operator and the provider's backend do that wallets must not. The routes come in three groups:
 * the provider's books (books-routes.ts), what the operator changes (settings-routes.ts) and the
 * figures (report-routes.ts); the dashboard, docs, health and metrics sit beside them.
 */
import {
  type Clock,
  type Mint,
  type PaymentBackend,
  type RateSource,
  systemClock,
} from '@cashu-mint/core/mint'
import type { Reports, Snapshot } from '@cashu-mint/storage'
import { type Context, Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import type { Logger } from 'pino'
import { serveDocs } from '../api/docs-page.ts'
import { answerErrors, json, limitBody, logRequests } from '../api/http-kit.ts'
import { openApiDocument } from '../api/openapi.ts'
import type { AuthSettings } from '../config/access-rules.ts'
import type { OperatorControl } from '../config/operator-settings.ts'
import { VERSION } from '../config/version.ts'
import { checkHealth, healthCode } from '../observability/health.ts'
import type { Metrics } from '../observability/metrics.ts'
import { adminAuth } from './admin-auth.ts'
import { bookRoutes } from './books-routes.ts'
import { serveDashboard } from './dashboard.ts'
import { reportRoutes } from './report-routes.ts'
import { settingsRoutes } from './settings-routes.ts'

export interface AdminAppOptions {
  operator: OperatorControl
  /** What the admin API's times are read from (flows since, a new keyset's expiry). */
  clock?: Clock
  reports: Reports
  /** A consistent copy of the database, for `cashu-mint backup` (the seed is never in it). */
  exportSnapshot: () => Promise<Snapshot>
  /** The payment backends, by the operator's names: health, balance and solvency per backend. */
  backends: readonly { label: string; kind: string; backend: PaymentBackend }[]
  /** Lightning prices of units other than sat and msat, to value what is owed in them. */
  rates?: RateSource | undefined
  token: string
  /** The mint's public URL, written into change tokens. */
  mintUrl: string
  bodyLimitBytes: number
  /** The client's address, for slowing down wrong tokens (the TCP peer's). */
  clientOf: (c: Context) => string
  logger?: Logger
  metrics?: Metrics
  /** NUT-21/22 access control, where configured (switched with the `auth_enabled` setting). */
  auth?: AuthSettings
}

/**
 * Every admin page and answer: nothing may frame it (the rotate button cannot be clicked through
 * another site), scripts, styles and requests only from here, no MIME sniffing, no referrer.
 */
const adminSecurityHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
  },
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
})

export function createAdminApp(mint: Mint, options: AdminAppOptions): Hono {
  const app = new Hono()
  const clock = options.clock ?? systemClock
  logRequests(app, options.logger, options.metrics?.http('admin'))
  app.use('*', adminSecurityHeaders)
  const api = openApiDocument('admin', VERSION)
  app.get('/openapi.json', (c) => c.json(api))
  serveDocs(app, 'cashu-mint: admin API')
  app.get('/', (c) => c.redirect('/dashboard'))
  serveDashboard(app)
  app.get('/health', async (c) => {
    const health = await checkHealth(options)
    return json(c, health, healthCode(health))
  })
  const auth = adminAuth({ token: options.token, clientOf: options.clientOf })
  app.use('/v1/admin/*', auth)
  app.use('/v1/admin/*', limitBody(options.bodyLimitBytes))
  bookRoutes(app, mint, options.mintUrl)
  settingsRoutes(app, mint, { ...options, clock })
  reportRoutes(app, mint, { ...options, clock })
  if (options.metrics) {
    const metrics = options.metrics
    app.get('/metrics', auth, async (c) =>
      c.body(await metrics.text(), 200, { 'content-type': metrics.registry.contentType }),
    )
  }
  answerErrors(app, options.logger)
  return app
}
