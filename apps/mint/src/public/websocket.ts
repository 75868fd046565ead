/**
 * NUT-17: subscriptions over JSON-RPC 2.0 at /v1/ws for the mint and melt quotes of each payment
 * method (`bolt11_mint_quote`, ...) and proof states. For each subscribe the ack goes out first
 * (cashu-ts registers its listener on the ack), then the current state of every filtered object,
 * then each change. Changes that happen while the
 * current state is being read are held back and sent after it, so none is lost or sent out of order.
 *
 * Limits a hostile client cannot walk around: messages of at most 64 KiB (larger ones close the
 * socket), 100 subscriptions per connection, a configured number of connections per client address
 * (a new one closes the client's least active one: wallets behind one proxy are never refused),
 * connections without a subscription closed once idle, and every message through the same edge
 * checks as an HTTP body.
 */
import type { Mint, MintEvent } from '@cashu-mint/core/mint'
import { toMeltQuoteResponse, toMintQuoteResponse } from '@cashu-mint/core/mint'
import { MintError, parseJsonBody, parseRequest, stringifyJson, WsRequest } from '@cashu-mint/core/protocol'
import type { Context, MiddlewareHandler } from 'hono'
import type { UpgradeWebSocket, WSContext } from 'hono/ws'

/** NUT-17 commands for the payment methods: `<method>_mint_quote`, `<method>_melt_quote`, and proof states. */
export const websocketCommands = (methods: readonly string[]) => [
  ...methods.flatMap((method) => [`${method}_mint_quote`, `${method}_melt_quote`]),
  'proof_state',
]

/** What a subscription follows: a method's mint or melt quotes, or proof states. */
type Topic = { of: 'mint_quote' | 'melt_quote'; method: string } | { of: 'proof_state' }

const topicOf = (kind: string): Topic => {
  if (kind === 'proof_state') return { of: 'proof_state' }
  const of = kind.endsWith('_mint_quote') ? 'mint_quote' : 'melt_quote'
  return { of, method: kind.slice(0, -`_${of}`.length) }
}

interface Subscription {
  topic: Topic
  filters: Set<string>
  /** Events that arrived before the current state was sent. */
  held: MintEvent[] | undefined
}

const MAX_SUBSCRIPTIONS = 100
/** For the `ws` server's maxPayload. */
export const MAX_WEBSOCKET_MESSAGE_BYTES = 64 * 1024

function rpcError(id: unknown, code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: id ?? null }
}

/** The payloads an event means for one subscription. */
async function payloadsFor(mint: Mint, subscription: Subscription, event: MintEvent): Promise<unknown[]> {
  const { topic } = subscription
  if (event.kind === 'mint_quote' && topic.of === 'mint_quote' && event.quote.method === topic.method) {
    return subscription.filters.has(event.quote.id) ? [toMintQuoteResponse(event.quote)] : []
  }
  if (event.kind === 'melt_quote' && topic.of === 'melt_quote' && event.quote.method === topic.method) {
    return subscription.filters.has(event.quote.id) ? [toMeltQuoteResponse(event.quote)] : []
  }
  if (event.kind === 'proof_state' && topic.of === 'proof_state') {
    const ys = event.ys.filter((y) => subscription.filters.has(y))
    if (ys.length === 0) return []
    // Read back, so a SPENT state carries its witness (NUT-07).
    return (await mint.checkState(ys)).states
  }
  return []
}

async function currentState(mint: Mint, subscription: Subscription): Promise<unknown[]> {
  const filters = [...subscription.filters]
  const { topic } = subscription
  switch (topic.of) {
    case 'mint_quote':
      return Promise.all(filters.map((id) => mint.getMintQuote(id, topic.method)))
    case 'melt_quote':
      return Promise.all(filters.map((id) => mint.getMeltQuote(id, topic.method)))
    case 'proof_state':
      return (await mint.checkState(filters)).states
  }
}

export interface WebsocketLimits {
  /** The payment methods whose quotes can be subscribed to. */
  methods: readonly string[]
  /** The client's name: its address, as the rate limit sees it. */
  clientOf: (c: Context) => string
  /** Connections one client may hold; a new one beyond closes that client's least active one. */
  perClient: number
  /** A connection with no subscription and no message for this long is closed. */
  idleSeconds: number
}

/** One open connection, as the limits see it. */
interface Connection {
  client: string
  lastActive: number
  subscriptions: Map<string, Subscription>
  close(code: number, reason: string): void
}

/**
 * Connections per client, and closing the ones that hold a place without using it. A client at its
 * limit is never refused: its least active connection (one without subscriptions first) makes
 * room, so many honest wallets behind one proxy address keep working, while one client still
 * cannot hold more than `perClient` connections.
 */
function connectionRegistry(limits: WebsocketLimits) {
  const byClient = new Map<string, Set<Connection>>()
  const idleMs = limits.idleSeconds * 1000
  const leastActive = (connections: Set<Connection>) =>
    [...connections].reduce((a, b) => {
      const idleA = a.subscriptions.size === 0
      const idleB = b.subscriptions.size === 0
      if (idleA !== idleB) return idleA ? a : b
      return a.lastActive <= b.lastActive ? a : b
    })
  const sweep = setInterval(
    () => {
      const cutoff = Date.now() - idleMs
      for (const connections of byClient.values())
        for (const connection of connections)
          if (connection.subscriptions.size === 0 && connection.lastActive < cutoff)
            connection.close(1001, 'idle: no subscription')
    },
    Math.max(1000, idleMs / 4),
  )
  sweep.unref()
  return {
    open(connection: Connection) {
      const connections = byClient.get(connection.client) ?? new Set()
      byClient.set(connection.client, connections)
      if (connections.size >= limits.perClient) {
        const evicted = leastActive(connections)
        connections.delete(evicted)
        evicted.close(
          1013,
          `more than ${limits.perClient} websockets from this address: closed the least active`,
        )
      }
      connections.add(connection)
    },
    closed(connection: Connection) {
      const connections = byClient.get(connection.client)
      connections?.delete(connection)
      if (connections?.size === 0) byClient.delete(connection.client)
    },
    stop: () => clearInterval(sweep),
  }
}

/**
 * GET /v1/ws. `subscribe` delivers this instance's events and, with several instances, the others'
 * too. `stop` ends the idle sweep (the listener closes the sockets).
 */
export function websocketRoute(
  mint: Mint,
  subscribe: (listener: (event: MintEvent) => void) => () => void,
  upgradeWebSocket: UpgradeWebSocket,
  limits: WebsocketLimits,
): { handler: MiddlewareHandler; stop(): void } {
  const registry = connectionRegistry(limits)
  const commands = websocketCommands(limits.methods)
  const handler = upgradeWebSocket((c) => {
    const subscriptions = new Map<string, Subscription>()
    let stopListening: (() => void) | undefined
    let connection: Connection | undefined
    const send = (ws: WSContext, message: unknown) => ws.send(stringifyJson(message))
    const notify = (ws: WSContext, subId: string, payload: unknown) => {
      if (connection) connection.lastActive = Date.now()
      send(ws, { jsonrpc: '2.0', method: 'subscribe', params: { subId, payload } })
    }

    const deliver = async (ws: WSContext, event: MintEvent) => {
      for (const [subId, subscription] of subscriptions) {
        if (subscription.held) subscription.held.push(event)
        else for (const payload of await payloadsFor(mint, subscription, event)) notify(ws, subId, payload)
      }
    }

    return {
      onOpen(_event, ws) {
        connection = {
          client: limits.clientOf(c),
          lastActive: Date.now(),
          subscriptions,
          close: (code, reason) => ws.close(code, reason),
        }
        registry.open(connection)
        stopListening = subscribe((event) => void deliver(ws, event).catch(() => undefined))
      },
      async onMessage(event, ws) {
        if (connection) connection.lastActive = Date.now()
        let request: WsRequest
        let raw: unknown
        try {
          raw = parseJsonBody(
            typeof event.data === 'string' ? event.data : new Uint8Array(event.data as ArrayBuffer),
          )
        } catch {
          return send(ws, rpcError(null, -32700, 'parse error'))
        }
        const id = (raw as { id?: unknown })?.id
        try {
          request = parseRequest(WsRequest, raw)
        } catch (error) {
          if (!(error instanceof MintError)) throw error
          return send(
            ws,
            rpcError(typeof id === 'string' || typeof id === 'bigint' ? id : null, -32600, error.detail),
          )
        }
        if (request.method === 'unsubscribe') {
          subscriptions.delete(request.params.subId)
          return send(ws, {
            jsonrpc: '2.0',
            result: { status: 'OK', subId: request.params.subId },
            id: request.id,
          })
        }
        const { kind, subId, filters } = request.params
        if (!commands.includes(kind)) {
          return send(ws, rpcError(request.id, -32602, `subscription kind ${kind} is not supported`))
        }
        if (subscriptions.size >= MAX_SUBSCRIPTIONS) {
          return send(
            ws,
            rpcError(request.id, -32602, `at most ${MAX_SUBSCRIPTIONS} subscriptions per connection`),
          )
        }
        const subscription: Subscription = { topic: topicOf(kind), filters: new Set(filters), held: [] }
        subscriptions.set(subId, subscription)
        send(ws, { jsonrpc: '2.0', result: { status: 'OK', subId }, id: request.id })
        try {
          for (const payload of await currentState(mint, subscription)) notify(ws, subId, payload)
        } catch {
          // An unknown quote id has no state to send; later changes still arrive.
        }
        const held = subscription.held ?? []
        subscription.held = undefined
        for (const change of held)
          for (const payload of await payloadsFor(mint, subscription, change)) notify(ws, subId, payload)
      },
      onClose() {
        if (connection) registry.closed(connection)
        stopListening?.()
        subscriptions.clear()
      },
    }
  })
  return { handler, stop: registry.stop }
}
