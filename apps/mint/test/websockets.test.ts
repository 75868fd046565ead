/**
 * NUT-17 websockets from one address, as a mint behind a reverse proxy (without
 * CASHU_MINT_TRUST_PROXY) or a carrier-grade NAT sees every wallet: hundreds of them at once all get
 * their notifications; at the per-client limit the least active connection makes room instead of
 * the new one being refused; a connection that subscribes to nothing is closed once idle.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './test-server.ts'

let server: TestServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

interface Socket {
  ws: WebSocket
  messages: Record<string, unknown>[]
  closed: Promise<number>
}

async function openSocket(mintUrl: string): Promise<Socket> {
  const ws = new WebSocket(`${mintUrl.replace('http', 'ws')}/v1/ws`)
  const messages: Record<string, unknown>[] = []
  ws.addEventListener('message', (e) => messages.push(JSON.parse(String(e.data))))
  const closed = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code)))
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true })
    ws.addEventListener('error', reject, { once: true })
  })
  return { ws, messages, closed }
}

const subscribe = (socket: Socket, kind: string, filters: string[], id: number) =>
  socket.ws.send(
    JSON.stringify({ jsonrpc: '2.0', method: 'subscribe', params: { kind, subId: `s${id}`, filters }, id }),
  )

async function until(check: () => boolean, ms = 30_000) {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function mintQuote(mintUrl: string): Promise<string> {
  const response = await fetch(`${mintUrl}/v1/mint/quote/bolt11`, {
    method: 'POST',
    body: JSON.stringify({ amount: 21, unit: 'sat' }),
  })
  return ((await response.json()) as { quote: string }).quote
}

const paidNotices = (socket: Socket, quote: string) =>
  socket.messages.filter(
    (m) =>
      (m.params as { payload?: { quote?: string; state?: string } })?.payload?.quote === quote &&
      (m.params as { payload: { state: string } }).payload.state === 'PAID',
  ).length

describe('websockets from one address', () => {
  it('serves 300 concurrent wallets behind one address, each told when its quote is paid', async () => {
    server = await startTestServer({ CASHU_MINT_FAKE_DELAY_MS: '1500' })
    const url = server.url
    const sockets = await Promise.all(Array.from({ length: 300 }, () => openSocket(url)))
    const quotes = await Promise.all(sockets.map(() => mintQuote(url)))
    sockets.forEach((socket, i) => {
      subscribe(socket, 'bolt11_mint_quote', [quotes[i] as string], i)
    })
    await until(() => sockets.every((socket, i) => paidNotices(socket, quotes[i] as string) === 1))
    for (const socket of sockets) expect(socket.ws.readyState).toBe(WebSocket.OPEN)
    for (const socket of sockets) socket.ws.close()
  })

  it('makes room at the per-client limit by closing the least active connection, never refusing', async () => {
    server = await startTestServer({ CASHU_MINT_WEBSOCKETS_PER_CLIENT: '5' })
    const url = server.url
    const sockets: Socket[] = []
    for (let i = 0; i < 5; i++) sockets.push(await openSocket(url))
    // All but the first subscribe: the first holds a place without using it.
    for (let i = 1; i < 5; i++) {
      subscribe(sockets[i] as Socket, 'proof_state', [`02${'ab'.repeat(32)}`], i)
      await until(() => (sockets[i] as Socket).messages.length >= 1)
    }
    const sixth = await openSocket(url)
    expect(await (sockets[0] as Socket).closed).toBe(1013)
    // Among connections that all subscribe, the one quiet longest makes room.
    subscribe(sixth, 'proof_state', [`03${'cd'.repeat(32)}`], 6)
    await until(() => sixth.messages.length >= 1)
    const seventh = await openSocket(url)
    expect(await (sockets[1] as Socket).closed).toBe(1013)
    for (const socket of [...sockets.slice(2), sixth, seventh])
      expect(socket.ws.readyState).toBe(WebSocket.OPEN)
    for (const socket of [...sockets.slice(2), sixth, seventh]) socket.ws.close()
  })

  it('closes a connection that subscribes to nothing once it is idle, and keeps one that does', async () => {
    server = await startTestServer({ CASHU_MINT_WEBSOCKET_IDLE_SECONDS: '1' })
    const idle = await openSocket(server.url)
    const busy = await openSocket(server.url)
    subscribe(busy, 'proof_state', [`02${'ef'.repeat(32)}`], 1)
    expect(await idle.closed).toBe(1001)
    await new Promise((resolve) => setTimeout(resolve, 2500))
    expect(busy.ws.readyState).toBe(WebSocket.OPEN)
    busy.ws.close()
  })
})
