/**
 * The admin listener's bearer token check, with guessing slowed down: an address that sent 10 wrong
 * tokens within a minute gets 429 (with Retry-After) for every request until a minute has passed
 * since its last wrong one, right token or not, so a token cannot be guessed at the speed of the
 * network. Tokens are compared in constant time; only the failures per address are kept.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'

export interface AdminAuthOptions {
  token: string
  /** The client's address (the TCP peer's). */
  clientOf: (c: Parameters<MiddlewareHandler>[0]) => string
  now?: () => number
}

const WINDOW_MS = 60_000
const MAX_FAILURES = 10
const MAX_TRACKED = 10_000

interface Failures {
  count: number
  lastAt: number
}

const digest = (text: string) => createHash('sha256').update(text).digest()

export function adminAuth(options: AdminAuthOptions): MiddlewareHandler {
  const expected = digest(options.token)
  const failures = new Map<string, Failures>()
  const now = options.now ?? Date.now
  const refuse = (status: 401 | 429, headers: Record<string, string>) =>
    new HTTPException(status, {
      res: Response.json(
        { detail: status === 401 ? 'a valid admin token is required' : 'too many wrong admin tokens' },
        { status, headers },
      ),
    })
  return async (c, next) => {
    const client = options.clientOf(c)
    const at = now()
    const seen = failures.get(client)
    if (seen && at - seen.lastAt > WINDOW_MS) failures.delete(client)
    const current = failures.get(client)
    if (current && current.count >= MAX_FAILURES) {
      const retryAfter = Math.ceil((current.lastAt + WINDOW_MS - at) / 1000)
      throw refuse(429, { 'retry-after': String(Math.max(retryAfter, 1)) })
    }
    const presented = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? ''
    if (timingSafeEqual(digest(presented), expected)) return next()
    if (failures.size >= MAX_TRACKED) failures.delete(failures.keys().next().value as string)
    failures.set(client, { count: (current?.count ?? 0) + 1, lastAt: at })
    throw refuse(401, { 'www-authenticate': 'Bearer' })
  }
}
