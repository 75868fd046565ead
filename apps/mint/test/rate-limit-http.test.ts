/** The rate limit on the running service: spoofed X-Forwarded-For headers do not reset it. */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { loadConfig } from '../src/config.ts'
import { startServer } from '../src/server.ts'

let server: Awaited<ReturnType<typeof startServer>>
beforeAll(async () => {
  const config = loadConfig({
    CASHU_MINT_PORT: '0',
    CASHU_MINT_ADMIN_PORT: '0',
    CASHU_MINT_DATA_DIR: await mkdtemp(join(tmpdir(), 'mint-rate-')),
    DATABASE_URL: 'memory://',
    CASHU_MINT_RATE_LIMIT_PER_MINUTE: '5',
    CASHU_MINT_LOG_LEVEL: 'silent',
  })
  server = await startServer(config)
})
afterAll(async () => {
  await server?.stop()
})

it('limits a client to its budget however it varies X-Forwarded-For', async () => {
  const statuses: number[] = []
  for (let i = 0; i < 7; i++) {
    const response = await fetch(`${server.url}/v1/keysets`, {
      headers: { 'x-forwarded-for': `203.0.113.${i}` },
    })
    statuses.push(response.status)
    if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
  }
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429])
})
