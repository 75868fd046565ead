/**
 * Per-client rate limit: a token bucket per IP address (`limit` requests per minute, bursts up to
 * `limit`), answering 429 with Retry-After, which wallets such as cashu-ts read as a rate limit.
 * The address is the TCP peer's; X-Forwarded-For is believed only when the operator says a proxy
 * sits in front (`trustProxy`), and then only its right-most entry, the one that proxy added.
 * Buckets live in this process: with several instances each enforces its own share.
 */
import type { MiddlewareHandler } from 'hono'

export interface RateLimitOptions {
  perMinute: number
  trustProxy: boolean
  /** The TCP peer address of the request. */
  peerAddress: (c: Parameters<MiddlewareHandler>[0]) => string | undefined
  now?: () => number
}

interface Bucket {
  tokens: number
  updatedAt: number
}

const MAX_BUCKETS = 100_000

export function clientAddress(
  forwardedFor: string | undefined,
  peer: string | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy && forwardedFor) {
    const hops = forwardedFor
      .split(',')
      .map((hop) => hop.trim())
      .filter(Boolean)
    const last = hops.at(-1)
    if (last) return last
  }
  return peer ?? 'unknown'
}

export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const buckets = new Map<string, Bucket>()
  const now = options.now ?? Date.now
  const perMs = options.perMinute / 60_000
  return async (c, next) => {
    const key = clientAddress(c.req.header('x-forwarded-for'), options.peerAddress(c), options.trustProxy)
    const at = now()
    const bucket = buckets.get(key) ?? { tokens: options.perMinute, updatedAt: at }
    bucket.tokens = Math.min(options.perMinute, bucket.tokens + (at - bucket.updatedAt) * perMs)
    bucket.updatedAt = at
    if (bucket.tokens < 1) {
      const retryAfter = Math.ceil((1 - bucket.tokens) / perMs / 1000)
      return c.json({ detail: 'rate limit exceeded, retry later', code: 0 }, 429, {
        'retry-after': String(retryAfter),
      })
    }
    bucket.tokens -= 1
    // Bound memory under an address-spraying client: forget the oldest buckets (full ones refill anyway).
    if (!buckets.has(key) && buckets.size >= MAX_BUCKETS)
      buckets.delete(buckets.keys().next().value as string)
    buckets.set(key, bucket)
    await next()
  }
}
