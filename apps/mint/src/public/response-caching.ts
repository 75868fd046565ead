/**
 * NUT-19: a wallet that lost the answer to a swap, mint or melt may send the same request again and
 * get the same answer, instead of "already spent". Swaps and mints need no cache for it: the engine
 * answers a repeated request with the signatures it stored (conflicts.ts), for ever, at no cost to the
 * first request. A melt's answer is the quote's state after paying, which the engine does not replay,
 * so melt responses are stored in the database under a hash of the method, path and parsed request
 * (whitespace does not matter) and replayed for `ttl` seconds. Errors are never cached.
 */
import { createHash } from 'node:crypto'
import { type Clock, nowSeconds } from '@cashu-mint/core/mint'
import { stringifyJson } from '@cashu-mint/core/protocol'
import type { ResponseCache } from '@cashu-mint/storage'
import type { MiddlewareHandler } from 'hono'
import { jsonBody } from '../api/http-kit.ts'
import type { RouteEntry } from './routes.ts'

/** A request's identity: method, path and parsed body (so whitespace does not matter), hashed. */
export const requestKey = (method: string, path: string, request: unknown) =>
  createHash('sha256')
    .update(`${method} ${path}\n${stringifyJson(request)}`)
    .digest('hex')

/** `routes`: the route table; the entries whose answers are stored here (replay 'stored'). */
export function responseCaching(
  cache: ResponseCache,
  ttlSeconds: number,
  clock: Clock,
  routes: readonly RouteEntry[],
): MiddlewareHandler {
  const stored = new Set(routes.filter((r) => r.replay === 'stored').map((r) => `${r.method} ${r.path}`))
  return async (c, next) => {
    if (!stored.has(`${c.req.method} ${c.req.path}`)) return next()
    // A body that does not parse gets its refusal from the handler and nothing cached.
    const request = await jsonBody(c).catch(() => undefined)
    if (request === undefined) return next()
    const key = requestKey(c.req.method, c.req.path, request)
    const now = nowSeconds(clock)
    const hit = await cache.get(key)
    if (hit && hit.createdAt + BigInt(ttlSeconds) > now) {
      return c.body(hit.body, hit.status as 200, { 'content-type': 'application/json; charset=utf-8' })
    }
    await next()
    if (c.res.status === 200)
      await cache.put(key, { status: 200, body: await c.res.clone().text(), createdAt: now })
  }
}
