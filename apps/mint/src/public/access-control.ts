/**
 * NUT-21/22 at the edge: a request to an endpoint the rules protect needs a verified `Clear-auth`
 * token (30001 without, 30002 when it does not verify) and/or one `Blind-auth` token (31001
 * without, 31002 when it does not verify or is spent). The BAT is reserved before the request runs
 * and spent only if it succeeds; a NUT-19 retry of the same request with the same BAT spends
 * nothing more. The operator can switch the rules off at run time (auth_enabled).
 */
import type { Mint } from '@cashu-mint/core/mint'
import { decodeBlindAuthToken, ErrorCode, MintError } from '@cashu-mint/core/protocol'
import type { Context, MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import { jsonBody } from '../api/http-kit.ts'
import { type AccessRules, BAT_MINT_ENDPOINT, matchesEndpoint } from '../config/access-rules.ts'
import type { ClearAuthVerifier } from './clear-auth.ts'
import { accessNeeded, assertUsableRules, openPathsOf } from './protected-routes.ts'
import { requestKey } from './response-caching.ts'
import type { RouteEntry } from './routes.ts'

export interface AccessControlOptions {
  mint: Mint
  rules: AccessRules
  clearAuth: ClearAuthVerifier
  /** The operator's switch; the BAT mint endpoint needs a clear auth token either way. */
  enabled: () => boolean
  logger?: Logger | undefined
  /** The route table: which endpoints NUT-19 replays, and what a spent BAT's request leaves. */
  routes: readonly RouteEntry[]
}

const SUBJECTS = new WeakMap<Request, string>()

/** The OpenID subject a request's clear auth token was verified for. */
export function authSubject(c: Context): string | undefined {
  return SUBJECTS.get(c.req.raw)
}

export function accessControl(options: AccessControlOptions): MiddlewareHandler {
  const { mint, rules, clearAuth } = options
  const byEndpoint = new Map(options.routes.map((r) => [`${r.method} ${r.path}`, r]))
  const open = openPathsOf(options.routes)
  assertUsableRules(rules, open)
  return async (c, next) => {
    const { path } = c.req
    // Hono answers HEAD with the GET route: it is the same request for access control.
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method
    const needed = accessNeeded(rules, open, method, path)
    const enforced = options.enabled()
    if (needed.clear && (enforced || matchesEndpoint(BAT_MINT_ENDPOINT, method, path))) {
      const token = c.req.header('clear-auth')
      if (!token)
        throw new MintError(
          ErrorCode.CLEAR_AUTH_REQUIRED,
          `${method} ${path} needs a Clear-auth token (NUT-21)`,
        )
      SUBJECTS.set(c.req.raw, (await clearAuth.verify(token)).subject)
    }
    if (!needed.blind || !enforced) return next()
    const header = c.req.header('blind-auth')
    if (!header)
      throw new MintError(
        ErrorCode.BLIND_AUTH_REQUIRED,
        `${method} ${path} needs a Blind-auth token (NUT-22)`,
      )
    const proof = decodeBlindAuthToken(header)
    const request = method === 'GET' ? {} : await jsonBody(c)
    const route = byEndpoint.get(`${method} ${path}`)
    const reservation = await mint.reserveBlindAuth(proof, {
      endpoint: `${method} ${path}`,
      key: requestKey(method, path, request),
      body: request,
      evidence: route?.evidence,
      replayable: route?.replay !== undefined,
    })
    await next()
    if (c.res.status < 400) {
      // Spent before the answer goes out; if that fails the answer is a 500 and the BAT stays
      // PENDING, for recovery to settle from what the request wrote.
      await mint.finishBlindAuth(reservation, true)
      return
    }
    await mint
      .finishBlindAuth(reservation, false)
      .catch((error) => options.logger?.error({ err: error }, 'releasing a blind auth token failed'))
  }
}
