/**
 * The HTTP edge through the running service: errors as 400 {detail, code}, limits, CORS, info,
 * exact u64 JSON, request logs with ids (and the NUT code of a refusal), no secret (seed) in any
 * log line or response, and requests shaped the way Nutshell's wallet sends them (nulls, extra fields).
 */
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/config.ts'
import { startServer } from '../src/server.ts'

const lines: string[] = []
let server: Awaited<ReturnType<typeof startServer>>
let dataDir: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mint-http-'))
  const config = loadConfig({
    CASHU_MINT_PORT: '0',
    CASHU_MINT_ADMIN_PORT: '0',
    CASHU_MINT_DATA_DIR: dataDir,
    DATABASE_URL: 'memory://',
    CASHU_MINT_BODY_LIMIT_BYTES: '2000',
    CASHU_MINT_MAX_AMOUNT: '100000',
    CASHU_MINT_CORS_ORIGIN: 'https://wallet.example',
    CASHU_MINT_URL: 'https://mint.example',
    CASHU_MINT_FAKE_DELAY_MS: '1500', // long enough to subscribe before the payment
  })
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString())
      done()
    },
  })
  server = await startServer(config, pino(sink))
})
afterAll(async () => {
  await server?.stop()
})

const post = (path: string, body: string) =>
  fetch(`${server.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } })

describe('HTTP API', () => {
  it('answers NUT errors with 400 and {detail, code}', async () => {
    const response = await post('/v1/swap', '{"inputs": [')
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ detail: 'request body is not valid JSON', code: 10000 })
    const tooMuch = await post('/v1/mint/quote/bolt11', '{"amount": 100001, "unit": "sat"}')
    expect(tooMuch.status).toBe(400)
    expect(await tooMuch.json()).toMatchObject({ code: 11006 })
    const unknownKeyset = await fetch(`${server.url}/v1/keys/00ffffffffffffff`)
    expect(await unknownKeyset.json()).toMatchObject({ code: 12001 })
  })

  it('refuses bodies over the limit and unknown routes without a 500', async () => {
    const big = await post('/v1/checkstate', JSON.stringify({ Ys: Array(100).fill(`02${'a'.repeat(64)}`) }))
    expect(big.status).toBe(413)
    expect(await big.json()).toMatchObject({ code: 10000 })
    const missing = await fetch(`${server.url}/v1/nothing`)
    expect(missing.status).toBe(404)
  })

  it('keeps amounts above 2^53 exact in requests and responses', async () => {
    const response = await post('/v1/mint/quote/bolt11', '{"amount": 9007199254740993, "unit": "sat"}')
    expect(await response.text()).toContain('11006')
    const info = await (await fetch(`${server.url}/v1/info`)).text()
    expect(info).toContain('"max_amount":100000')
  })

  it('advertises what it does and allows browser wallets', async () => {
    const response = await fetch(`${server.url}/v1/info`, { headers: { origin: 'https://wallet.example' } })
    expect(response.headers.get('access-control-allow-origin')).toBe('https://wallet.example')
    const info = (await response.json()) as {
      nuts: Record<string, { disabled?: boolean; methods?: unknown[] }>
    }
    expect(info.nuts['4']?.disabled).toBe(false)
    expect(info.nuts['4']?.methods).toEqual([
      { method: 'bolt11', unit: 'sat', max_amount: 100000, options: { description: true } },
    ])
    expect(info.nuts['12']).toEqual({ supported: true })
    expect(info).toMatchObject({ pubkey: server.mint.publicKey, urls: ['https://mint.example'] })
    expect(server.mint.publicKey).toMatch(/^0[23][0-9a-f]{64}$/)
  })

  it('reads requests as Nutshell sends them: null for absent fields, unknown fields ignored', async () => {
    const created = await post(
      '/v1/mint/quote/bolt11',
      '{"amount": 5, "unit": "sat", "description": null, "pubkey": null, "not_in_the_spec": 1}',
    )
    expect(created.status).toBe(200)
    const quote = (await created.json()) as { quote: string; method: string }
    expect(quote.method).toBe('bolt11')
    const looked = (await (await fetch(`${server.url}/v1/mint/quote/bolt11/${quote.quote}`)).json()) as {
      method: string
    }
    expect(looked.method).toBe('bolt11')
    // A witness of null reaches the engine as absent: the refusal is about the proof, not the field.
    const keyset = server.mint.keysets().keysets[0]?.id
    const input = { amount: 1, id: keyset, secret: 'x', C: `02${'11'.repeat(32)}`, witness: null, dleq: null }
    const output = { amount: 1, id: keyset, B_: `02${'22'.repeat(32)}`, witness: null }
    const swapped = await post('/v1/swap', JSON.stringify({ inputs: [input], outputs: [output] }))
    expect(swapped.status).toBe(400)
    expect(((await swapped.json()) as { detail: string }).detail).not.toMatch(/witness/)
  })

  it('logs each request with an id, a refusal with its NUT code and detail, and never the seed', async () => {
    await fetch(`${server.url}/v1/keysets`)
    await post('/v1/mint/quote/bolt11', '{"amount": 5, "unit": "doge"}')
    const seed = (await readFile(join(dataDir, 'seed'), 'utf8')).trim()
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request')
    expect(requests.length).toBeGreaterThan(3)
    expect(requests.every((l) => typeof l.reqId === 'string' && l.reqId.length > 0)).toBe(true)
    expect(requests.at(-1)).toMatchObject({ status: 400, code: 11013, detail: 'unit doge is not supported' })
    expect(requests.find((l) => l.path === '/v1/keysets')).not.toHaveProperty('code')
    expect(lines.join('\n')).not.toContain(seed)
  })

  it('NUT-17: acks a subscription before sending the current state, and reports bad requests', async () => {
    const quote = (await (await post('/v1/mint/quote/bolt11', '{"amount": 5, "unit": "sat"}')).json()) as {
      quote: string
    }
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/v1/ws`)
    const messages: {
      id?: number
      result?: unknown
      error?: { code: number }
      params?: { payload: { quote: string; state: string } }
    }[] = []
    socket.addEventListener('message', (event) => messages.push(JSON.parse(String(event.data))))
    await new Promise((resolve) => socket.addEventListener('open', resolve))
    socket.send('not json')
    socket.send(
      JSON.stringify({
        jsonrpc: '2.0',
        method: 'subscribe',
        params: { kind: 'bolt12_offer', subId: 'x', filters: ['a'] },
        id: 1,
      }),
    )
    socket.send(
      JSON.stringify({
        jsonrpc: '2.0',
        method: 'subscribe',
        params: { kind: 'bolt11_mint_quote', subId: 's1', filters: [quote.quote] },
        id: 2,
      }),
    )
    const deadline = Date.now() + 5000
    while (!messages.some((m) => m.params?.payload.state === 'PAID') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    socket.close()
    expect(messages[0]?.error?.code).toBe(-32700)
    expect(messages[1]?.error?.code).toBe(-32600)
    expect(messages[2]).toEqual({ jsonrpc: '2.0', result: { status: 'OK', subId: 's1' }, id: 2 })
    expect(messages[3]?.params?.payload).toMatchObject({
      quote: quote.quote,
      state: 'UNPAID',
      method: 'bolt11',
    })
    expect(messages.at(-1)?.params?.payload).toMatchObject({
      quote: quote.quote,
      state: 'PAID',
      method: 'bolt11',
    })
  })
})
