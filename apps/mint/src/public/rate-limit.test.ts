import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { clientAddress, rateLimit } from './rate-limit.ts'

describe('rate limit', () => {
  it('ignores X-Forwarded-For unless a proxy is trusted, then takes the entry that proxy added', () => {
    expect(clientAddress('1.1.1.1', '10.0.0.9', false)).toBe('10.0.0.9')
    expect(clientAddress('6.6.6.6, 1.1.1.1', '10.0.0.9', true)).toBe('1.1.1.1')
    expect(clientAddress(undefined, '10.0.0.9', true)).toBe('10.0.0.9')
  })

  it('answers 429 with Retry-After once the bucket is empty, per client, and refills over time', async () => {
    let now = 0
    const app = new Hono()
    app.use('*', rateLimit({ perMinute: 3, trustProxy: true, peerAddress: () => 'proxy', now: () => now }))
    app.get('/', (c) => c.text('ok'))
    const hit = (ip: string) => app.request('/', { headers: { 'x-forwarded-for': ip } })
    expect((await Promise.all([hit('a'), hit('a'), hit('a')])).map((r) => r.status)).toEqual([200, 200, 200])
    const limited = await hit('a')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('20')
    expect((await hit('b')).status).toBe(200)
    now += 20_000
    expect((await hit('a')).status).toBe(200)
    expect((await hit('a')).status).toBe(429)
  })
})
