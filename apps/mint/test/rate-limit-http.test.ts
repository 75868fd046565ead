import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './test-server.ts'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ CASHU_MINT_RATE_LIMIT_PER_MINUTE: '5' })
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
