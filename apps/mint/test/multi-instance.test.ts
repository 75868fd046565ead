/**
 * Two instances of the service on one PostgreSQL database: a wallet connected to one instance
 * hears over its websocket about a quote that the other instance created and saw paid.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createPostgresDatabase } from '../../../packages/storage/test/databases.ts'
import { startTestServer, type TestServer } from './test-server.ts'

type Server = TestServer
let database: Awaited<ReturnType<typeof createPostgresDatabase>>
let a: Server
let b: Server

beforeAll(async () => {
  database = await createPostgresDatabase()
  // Both instances share the seed (one data dir) and the database, as replicas behind a proxy do.
  const dataDir = await mkdtemp(join(tmpdir(), 'mint-multi-'))
  // Two instances on one database and data folder.
  // The fake pays after 1.5 s: long enough to subscribe on A before B sees the payment.
  const env = { CASHU_MINT_DATA_DIR: dataDir, DATABASE_URL: database.url, CASHU_MINT_FAKE_DELAY_MS: '1500' }
  a = await startTestServer(env)
  b = await startTestServer(env)
})
afterAll(async () => {
  await a?.stop()
  await b?.stop()
  await database?.drop()
})

it('delivers a payment seen by instance B to a websocket on instance A', async () => {
  const created = await fetch(`${b.url}/v1/mint/quote/bolt11`, {
    method: 'POST',
    body: '{"amount": 3, "unit": "sat"}',
  })
  const { quote } = (await created.json()) as { quote: string }
  const socket = new WebSocket(`${a.url.replace('http', 'ws')}/v1/ws`)
  const states: string[] = []
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { params?: { payload: { state: string } } }
    if (message.params) states.push(message.params.payload.state)
  })
  await new Promise((resolve) => socket.addEventListener('open', resolve))
  socket.send(
    JSON.stringify({
      jsonrpc: '2.0',
      method: 'subscribe',
      params: { kind: 'bolt11_mint_quote', subId: 's', filters: [quote] },
      id: 0,
    }),
  )
  const deadline = Date.now() + 5000
  while (!states.includes('PAID') && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20))
  socket.close()
  expect(states[0]).toBe('UNPAID')
  expect(states).toContain('PAID')
})

it('a keyset rotation on instance A is served by instance B at once', async () => {
  const before = (await (await fetch(`${b.url}/v1/keysets`)).json()) as {
    keysets: { id: string; active: boolean }[]
  }
  const rotated = await a.mint.rotateKeyset({ unit: 'sat', inputFeePpk: 0n })
  const newIds = rotated.keysets.filter((k) => k.active).map((k) => k.id)
  expect(newIds.some((id) => before.keysets.some((k) => k.id === id))).toBe(false)
  const deadline = Date.now() + 5000
  let served: { keysets: { id: string; active: boolean }[] } = before
  while (Date.now() < deadline) {
    served = (await (await fetch(`${b.url}/v1/keysets`)).json()) as typeof served
    if (newIds.every((id) => served.keysets.some((k) => k.id === id && k.active))) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  expect(
    served.keysets
      .filter((k) => k.active)
      .map((k) => k.id)
      .sort(),
  ).toEqual([...newIds].sort())
})
