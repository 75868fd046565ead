/**
 * Hostile input the fuzzer (test/fuzz) found or the issue reported, kept as plain regression tests
 * against the running service: NUL bytes that reached the database, a B_ off the curve that reached
 * the signer, a body over the limit that left the keep-alive connection dead, an URL over Node's
 * header limit that reset the connection, and the limits a client cannot walk around (nesting,
 * websocket message size and connections, wrong admin tokens). A real fault still answers 5xx.
 */
import { mkdtemp } from 'node:fs/promises'
import { Agent, request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { ErrorCode } from '@cashu-mint/core/protocol'
import { pino } from 'pino'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_URL, createPostgresDatabase } from '../../../packages/storage/test/databases.ts'
import { externalInvoice } from '../../../packages/storage/test/mint-fixture.ts'
import { loadConfig } from '../src/config/config.ts'
import { startServer } from '../src/server.ts'
import { startTestServer, type TestServer } from './test-server.ts'

const TOKEN = 'hostile-input-test-token-0123456789abcdef'
let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ CASHU_MINT_ADMIN_TOKEN: TOKEN, CASHU_MINT_BODY_LIMIT_BYTES: '10000' })
})
afterAll(async () => {
  await server?.stop()
})

/** A request over one keep-alive connection (`agent`), as a wallet's HTTP client reuses it. */
function send(
  agent: Agent,
  base: string,
  method: string,
  path: string,
  body?: string | string[],
): Promise<{
  status: number
  headers: Record<string, unknown>
  json: { code?: number; detail?: string; states?: unknown[] }
}> {
  const url = new URL(base)
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: { 'content-type': 'application/json' },
      },
      (response) => {
        let text = ''
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString()
        })
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            json: text ? JSON.parse(text) : {},
          }),
        )
      },
    )
    outgoing.on('error', reject)
    // Chunks are sent chunked, without a Content-Length; a string with one.
    if (Array.isArray(body)) for (const chunk of body) outgoing.write(chunk)
    outgoing.end(Array.isArray(body) ? undefined : body)
  })
}

const post = async (path: string, body: string) => {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', body })
  return { status: response.status, json: (await response.json()) as { code: number; detail: string } }
}

describe('hostile input', () => {
  it('refuses NUL in path and body ids before they reach the database (issue #12)', async () => {
    for (const path of ['/v1/mint/quote/bolt11/%00', '/v1/melt/quote/bolt11/%00']) {
      const response = await fetch(`${server.url}${path}`)
      expect(response.status).toBe(400)
      expect(await response.json()).toEqual({
        detail: 'id: text must be valid UTF-8 without NUL characters',
        code: 10000,
      })
    }
    const keyset = server.mint.keysets().keysets[0]?.id
    const output = { amount: 1, id: keyset, B_: `02${'ab'.repeat(32)}` }
    expect(
      (await post('/v1/mint/bolt11', JSON.stringify({ quote: '\u0000', outputs: [output] }))).json.detail,
    ).toMatch(/^quote: /)
    expect(
      (await post('/v1/mint/bolt11/batch', JSON.stringify({ quotes: ['a', 'b\u0000'], outputs: [output] })))
        .json.detail,
    ).toMatch(/^quotes\.1: /)
    expect(
      (await post('/v1/mint/quote/bolt11/check', JSON.stringify({ quotes: ['\ud800'] }))).json,
    ).toMatchObject({
      code: 10000,
      detail: 'quotes.0: text must be valid UTF-8 without NUL characters',
    })
  })

  it('refuses a B_ that is not on the curve before signing (issue #12)', async () => {
    const keyset = server.mint.keysets().keysets[0]?.id
    const quote = await server.mint.credit({ amount: 1n, unit: 'sat', reference: 'hostile' })
    const answer = await post(
      '/v1/mint/bolt11',
      JSON.stringify({
        quote: quote.quote.quote,
        outputs: [{ amount: 1, id: keyset, B_: `02${'ff'.repeat(32)}` }],
      }),
    )
    expect(answer).toEqual({
      status: 400,
      json: { code: 10000, detail: 'outputs.0.B_: not a point on the curve' },
    })
  })

  it('refuses Lightning amounts beyond all bitcoin before they overflow the books (found by pnpm fuzz)', async () => {
    expect(
      (await post('/v1/mint/quote/bolt11', '{"amount":18446744073709551615,"unit":"sat"}')).json,
    ).toEqual({
      code: 11006,
      detail: 'amount: more than 21 million bitcoin',
    })
    const huge = externalInvoice(2n ** 62n)
    expect(
      (await post('/v1/melt/quote/bolt11', JSON.stringify({ request: huge, unit: 'sat' }))).json,
    ).toEqual({
      code: 11006,
      detail: 'request: more than 21 million bitcoin',
    })
  })

  it('treats units named like Object.prototype members as unknown units (found by pnpm fuzz)', async () => {
    for (const unit of ['valueOf', 'constructor', '__proto__', 'toString']) {
      const answer = await post('/v1/mint/quote/bolt11', JSON.stringify({ amount: 21, unit }))
      expect(answer).toEqual({ status: 400, json: { code: 11013, detail: `unit ${unit} is not supported` } })
      const melt = await post('/v1/melt/quote/bolt11', JSON.stringify({ request: externalInvoice(5n), unit }))
      expect(melt.json.code).toBe(11013)
    }
  })

  it('answers a body over the limit with 413 and Connection: close, and the next request succeeds (issue #12)', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const big = await send(agent, server.url, 'POST', '/v1/swap', `{"pad":"${'x'.repeat(20_000)}"}`)
    expect(big.status).toBe(413)
    expect(big.headers.connection).toBe('close')
    expect(big.json).toEqual({ detail: 'request body exceeds 10000 bytes', code: 10000 })
    expect((await send(agent, server.url, 'GET', '/v1/info')).status).toBe(200)
    agent.destroy()
  })

  it('reads a chunked body like one with a length, and limits it the same', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const Y = `02${'11'.repeat(32)}`
    const chunked = await send(agent, server.url, 'POST', '/v1/checkstate', ['{"Ys":', `["${Y}"]`, '}'])
    expect(chunked.status).toBe(200)
    expect(chunked.json.states).toEqual([{ Y, state: 'UNSPENT', witness: null }])
    const big = await send(agent, server.url, 'POST', '/v1/swap', ['{"pad":"', 'x'.repeat(20_000), '"}'])
    expect(big.status).toBe(413)
    expect(big.json).toEqual({ detail: 'request body exceeds 10000 bytes', code: 10000 })
    agent.destroy()
  })

  it('answers an URL over the header limit with 431 instead of resetting the connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const long = await send(agent, server.url, 'GET', `/v1/mint/quote/bolt11/${'x'.repeat(70_000)}`)
    expect(long.status).toBe(431)
    expect(long.json.code).toBe(10000)
    expect((await send(agent, server.url, 'GET', '/v1/info')).status).toBe(200)
    agent.destroy()
  })

  it('refuses bodies nested too deep, invalid UTF-8 and a body that is not an object', async () => {
    expect((await post('/v1/swap', `${'['.repeat(5000)}${']'.repeat(5000)}`)).json.detail).toBe(
      'request body nests deeper than 20 levels',
    )
    const invalid = await fetch(`${server.url}/v1/swap`, {
      method: 'POST',
      body: new Uint8Array([0x7b, 0xff, 0x7d]),
    })
    expect(await invalid.json()).toEqual({ detail: 'request body is not valid UTF-8', code: 10000 })
    expect((await post('/v1/swap', '[1, 2]')).json.detail).toMatch(/^body: /)
  })

  it('limits websockets: message size and filters per subscription', async () => {
    const url = `${server.url.replace('http', 'ws')}/v1/ws`
    const open = async () => {
      const socket = new WebSocket(url)
      await new Promise((resolve, reject) => {
        socket.addEventListener('open', resolve, { once: true })
        socket.addEventListener('error', reject, { once: true })
      })
      return socket
    }
    const first = await open()
    const closed = new Promise<number>((resolve) => first.addEventListener('close', (e) => resolve(e.code)))
    first.send('x'.repeat(70_000))
    expect(await closed).toBe(1009)
    const sockets = [await open()]
    const answer = new Promise<string>((resolve) =>
      sockets[0]?.addEventListener('message', (e) => resolve(String(e.data)), { once: true }),
    )
    sockets[0]?.send(
      JSON.stringify({
        jsonrpc: '2.0',
        method: 'subscribe',
        params: { kind: 'proof_state', subId: 'a', filters: Array(1001).fill('x') },
        id: 1,
      }),
    )
    expect(JSON.parse(await answer)).toMatchObject({
      error: { code: -32600, message: 'params.filters: at most 1000 filters per subscription' },
    })
    for (const socket of sockets) socket.close()
  })

  it('bounds the Idempotency-Key header of a redemption, naming it', async () => {
    const response = await fetch(`${server.adminUrl}/v1/admin/redeem`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'idempotency-key': 'k'.repeat(300) },
      body: JSON.stringify({ token: 'cashuBx', amount: 1, unit: 'sat' }),
    })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { detail: string }).detail).toMatch(/^Idempotency-Key: /)
  })

  it('slows down wrong admin tokens: after 10 in a minute, 429 for that client, right token or not', async () => {
    const call = (token: string) =>
      fetch(`${server.adminUrl}/v1/admin/settings`, { headers: { authorization: `Bearer ${token}` } })
    expect((await call(TOKEN)).status).toBe(200)
    for (let i = 0; i < 10; i++) expect((await call(`wrong-${i}`)).status).toBe(401)
    const limited = await call(TOKEN)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})

describe('a real fault', () => {
  it('answers 503 with Retry-After while the database refuses connections, logs it once, and recovers', async () => {
    const database = await createPostgresDatabase()
    const lines: string[] = []
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString())
        done()
      },
    })
    const config = loadConfig({
      CASHU_MINT_PORT: '0',
      CASHU_MINT_ADMIN_PORT: '0',
      CASHU_MINT_DATA_DIR: await mkdtemp(join(tmpdir(), 'mint-fault-')),
      DATABASE_URL: database.url,
      CASHU_MINT_WORKERS: '1',
    })
    const faulty = await startServer(config, pino(sink))
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => undefined })
    const name = new URL(database.url).pathname.slice(1)
    await admin.unsafe(`alter database ${name} with allow_connections false`)
    await admin.unsafe(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}'`)
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${faulty.url}/v1/mint/quote/bolt11/some-quote`)
      expect(response.status).toBe(503)
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(await response.json()).toEqual({
        detail: 'database temporarily unavailable, retry shortly',
        code: ErrorCode.TEMPORARILY_UNAVAILABLE,
      })
    }
    // One line for the outage, none per request, and no statement or its parameters.
    const outage = lines.filter((l) => l.includes('database unavailable'))
    expect(outage).toHaveLength(1)
    expect(lines.some((l) => l.includes('"internal error"') || l.includes('Failed query'))).toBe(false)
    await admin.unsafe(`alter database ${name} with allow_connections true`)
    const back = await fetch(`${faulty.url}/v1/mint/quote/bolt11/some-quote`)
    expect(back.status).toBe(400)
    expect(lines.filter((l) => l.includes('database available again'))).toHaveLength(1)
    await admin.end()
    await faulty.stop().catch(() => undefined)
    await database.drop()
  })
})
