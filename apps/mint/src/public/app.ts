/**
 * The NUT HTTP API on Hono. Routes only parse (lossless JSON, the core's wire schemas), call one
 * engine method and serialize; every error becomes a response in `onError`: a MintError is
 * `400 {"detail","code"}`, anything else a 500 that reveals nothing.
 */
import { type Clock, type Mint, nowSeconds, systemClock } from '@cashu-mint/core/mint'
import {
  ErrorCode,
  keysetId,
  MintError,
  PostAuthBlindMintRequest,
  PostCheckStateRequest,
  PostMeltQuoteBolt11Request,
  PostMeltRequest,
  PostMintBatchRequest,
  PostMintQuoteBolt11Request,
  PostMintQuoteCheckRequest,
  PostMintRequest,
  PostRestoreRequest,
  PostSwapRequest,
  quoteId,
} from '@cashu-mint/core/protocol'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import type { Logger } from 'pino'
import { serveDocs } from '../api/docs-page.ts'
import { answerErrors, body, json, limitBody, logRequests, param } from '../api/http-kit.ts'
import { openApiDocument } from '../api/openapi.ts'
import { VERSION } from '../config/version.ts'
import { type Health, healthCode } from '../observability/health.ts'
import { authSubject } from './access-control.ts'
import { mintInfo } from './mint-info.ts'

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
  /** What the default info's `time` reads; default the system's. */
  clock?: Clock
}

function bolt11Only(c: Context): void {
  const method = c.req.param('method')
  if (method !== 'bolt11')
    throw new MintError(ErrorCode.MALFORMED_REQUEST, `method: payment method ${method} is not supported`)
}

export function createApp(mint: Mint, options: AppOptions): Hono {
  const app = new Hono()
  const { logger } = options
  logRequests(app, logger, options.observe)
  app.use('*', cors({ origin: options.corsOrigin }))
  if (options.rateLimit) app.use('/v1/*', options.rateLimit)
  app.use('/v1/*', limitBody(options.bodyLimitBytes))

  if (options.accessControl) app.use('/v1/*', options.accessControl)
  if (options.responseCaching) app.use('/v1/*', options.responseCaching)

  const api = openApiDocument('public', VERSION)
  app.get('/openapi.json', (c) => c.json(api))
  serveDocs(app, 'cashu-mint: Cashu NUT API')
  const { health } = options
  if (health)
    app.get('/health', async (c) => {
      const checked = await health()
      return c.json({ status: checked.status }, healthCode(checked))
    })
  const clock = options.clock ?? systemClock
  const info =
    options.info ??
    (() =>
      mintInfo(mint.settings, {
        name: options.name ?? 'cashu-mint',
        pubkey: mint.publicKey,
        version: VERSION,
        nowSeconds: nowSeconds(clock),
      }))
  app.get('/v1/info', (c) => json(c, info()))
  app.get('/v1/keys', (c) => json(c, mint.keys()))
  app.get('/v1/keys/:id', (c) => json(c, mint.keys(param(c, 'id', keysetId))))
  app.get('/v1/keysets', (c) => json(c, mint.keysets()))
  app.post('/v1/swap', async (c) => json(c, await mint.swap(await body(c, PostSwapRequest))))
  app.post('/v1/checkstate', async (c) =>
    json(c, await mint.checkState((await body(c, PostCheckStateRequest)).Ys)),
  )
  app.post('/v1/restore', async (c) =>
    json(c, await mint.restore((await body(c, PostRestoreRequest)).outputs)),
  )

  if (mint.settings.blindAuth) {
    app.get('/v1/auth/blind/keys', (c) => json(c, mint.authKeys()))
    app.get('/v1/auth/blind/keys/:id', (c) => json(c, mint.authKeys(param(c, 'id', keysetId))))
    app.get('/v1/auth/blind/keysets', (c) => json(c, mint.authKeysets()))
    app.post('/v1/auth/blind/mint', async (c) => {
      const subject = authSubject(c)
      if (subject === undefined)
        throw new MintError(ErrorCode.CLEAR_AUTH_REQUIRED, 'minting BATs needs a Clear-auth token (NUT-21)')
      const { outputs } = await body(c, PostAuthBlindMintRequest)
      return json(c, await mint.mintBlindAuth(outputs, subject))
    })
  }

  app.post('/v1/mint/quote/:method', async (c) => {
    bolt11Only(c)
    return json(c, await mint.createMintQuote(await body(c, PostMintQuoteBolt11Request)))
  })
  app.post('/v1/mint/quote/:method/check', async (c) => {
    bolt11Only(c)
    return json(c, await mint.checkMintQuotes((await body(c, PostMintQuoteCheckRequest)).quotes))
  })
  app.get('/v1/mint/quote/:method/:id', async (c) => {
    bolt11Only(c)
    return json(c, await mint.getMintQuote(param(c, 'id', quoteId)))
  })
  app.post('/v1/mint/:method/batch', async (c) => {
    bolt11Only(c)
    return json(c, await mint.mintBatch(await body(c, PostMintBatchRequest)))
  })
  app.post('/v1/mint/:method', async (c) => {
    bolt11Only(c)
    return json(c, await mint.mint(await body(c, PostMintRequest)))
  })

  app.post('/v1/melt/quote/:method', async (c) => {
    bolt11Only(c)
    return json(c, await mint.createMeltQuote(await body(c, PostMeltQuoteBolt11Request)))
  })
  app.get('/v1/melt/quote/:method/:id', async (c) => {
    bolt11Only(c)
    return json(c, await mint.getMeltQuote(param(c, 'id', quoteId)))
  })
  app.post('/v1/melt/:method', async (c) => {
    bolt11Only(c)
    return json(c, await mint.melt(await body(c, PostMeltRequest)))
  })

  answerErrors(app, logger)
  return app
}
