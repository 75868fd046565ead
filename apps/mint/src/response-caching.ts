/**
 * NUT-19: a wallet that lost the answer to a swap, mint or melt may send the same request again and
 * get the same answer, instead of "already spent". Successful responses are stored in the database
 * under a hash of the method, path and request (whitespace-insensitive) and replayed for `ttl`
 * seconds. Errors are never cached.
 */

import { createHash } from 'node:crypto'
import { parseJson, stringifyJson } from '@cashu-mint/core/protocol'
import type { ResponseCache } from '@cashu-mint/storage'
import type { MiddlewareHandler } from 'hono'

export const CACHED_ENDPOINTS = [
  '/v1/swap',
  '/v1/mint/bolt11',
  '/v1/mint/bolt11/batch',
  '/v1/melt/bolt11',
] as const

function requestKey(method: string, path: string, body: string): string {
  let normalized = body
  try {
    normalized = stringifyJson(parseJson(body))
  } catch {
    // Not JSON: the handler will refuse it; the raw text keys nothing that gets stored.
  }
  return createHash('sha256').update(`${method} ${path}\n${normalized}`).digest('hex')
}

export function responseCaching(cache: ResponseCache, ttlSeconds: number): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'POST' || !(CACHED_ENDPOINTS as readonly string[]).includes(c.req.path))
      return next()
    const key = requestKey(c.req.method, c.req.path, await c.req.text())
    const now = BigInt(Math.floor(Date.now() / 1000))
    const hit = await cache.get(key)
    if (hit && hit.createdAt + BigInt(ttlSeconds) > now) {
      return c.body(hit.body, hit.status as 200, { 'content-type': 'application/json; charset=utf-8' })
    }
    await next()
    if (c.res.status === 200)
      await cache.put(key, { status: 200, body: await c.res.clone().text(), createdAt: now })
  }
}
