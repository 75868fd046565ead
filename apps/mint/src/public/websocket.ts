/**
 * NUT-17: subscriptions over JSON-RPC 2.0 at /v1/ws for bolt11 mint quotes, melt quotes and proof
 * states. For each subscribe the ack goes out first (cashu-ts registers its listener on the ack),
 * then the current state of every filtered object, then each change. Changes that happen while the
 * current state is being read are held back and sent after it, so none is lost or sent out of order.
 *
 * Limits a hostile client cannot walk around: messages of at most 64 KiB (larger ones close the
 * socket), 100 subscriptions per connection, 20 connections per client address (more get 429),
 * and every message through the same edge checks as an HTTP body.
 */
import type { Mint, MintEvent } from '@cashu-mint/core/mint'
import { toMeltQuoteResponse, toMintQuoteResponse } from '@cashu-mint/core/mint'
import { MintError, parseJsonBody, parseRequest, stringifyJson, WsRequest } from '@cashu-mint/core/protocol'
import type { Context, MiddlewareHandler } from 'hono'
import type { UpgradeWebSocket, WSContext } from 'hono/ws'

export const WEBSOCKET_COMMANDS = ['bolt11_mint_quote', 'bolt11_melt_quote', 'proof_state'] as const
type Command = (typeof WEBSOCKET_COMMANDS)[number]

interface Subscription {
  kind: Command
  filters: Set<string>
  /** Events that arrived before the current state was sent. */
  held: MintEvent[] | undefined
}

const MAX_SUBSCRIPTIONS = 100
export const MAX_WEBSOCKETS_PER_CLIENT = 20
/** For the `ws` server's maxPayload. */
export const MAX_WEBSOCKET_MESSAGE_BYTES = 64 * 1024

function rpcError(id: unknown, code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: id ?? null }
}

/** The payloads an event means for one subscription. */
async function payloadsFor(mint: Mint, subscription: Subscription, event: MintEvent): Promise<unknown[]> {
  if (event.kind === 'mint_quote' && subscription.kind === 'bolt11_mint_quote') {
    return subscription.filters.has(event.quote.id) ? [toMintQuoteResponse(event.quote)] : []
  }
  if (event.kind === 'melt_quote' && subscription.kind === 'bolt11_melt_quote') {
    return subscription.filters.has(event.quote.id) ? [toMeltQuoteResponse(event.quote)] : []
  }
  if (event.kind === 'proof_state' && subscription.kind === 'proof_state') {
    const ys = event.ys.filter((y) => subscription.filters.has(y))
    if (ys.length === 0) return []
    // Read back, so a SPENT state carries its witness (NUT-07).
    return (await mint.checkState(ys)).states
  }
  return []
}

async function currentState(mint: Mint, subscription: Subscription): Promise<unknown[]> {
  const filters = [...subscription.filters]
  switch (subscription.kind) {
    case 'bolt11_mint_quote':
      return Promise.all(filters.map((id) => mint.getMintQuote(id)))
    case 'bolt11_melt_quote':
      return Promise.all(filters.map((id) => mint.getMeltQuote(id)))
    case 'proof_state':
      return (await mint.checkState(filters)).states
  }
}

/**
 * The handlers of GET /v1/ws: a per-client connection limit, then the upgrade. `subscribe`
 * delivers this instance's events and, with several instances, the others' too; `clientOf` names
 * the client (its address, as the rate limit sees it).
 */
export function websocketRoute(
  mint: Mint,
  subscribe: (listener: (event: MintEvent) => void) => () => void,
  upgradeWebSocket: UpgradeWebSocket,
  clientOf: (c: Context) => string,
): [MiddlewareHandler, MiddlewareHandler] {
  const open = new Map<string, number>()
  const limit: MiddlewareHandler = async (c, next) => {
    if ((open.get(clientOf(c)) ?? 0) >= MAX_WEBSOCKETS_PER_CLIENT)
      return c.json({ detail: `at most ${MAX_WEBSOCKETS_PER_CLIENT} websockets per client`, code: 0 }, 429)
    return next()
  }
  const upgrade = upgradeWebSocket((c) => {
    const client = clientOf(c)
    const subscriptions = new Map<string, Subscription>()
    let stopListening: (() => void) | undefined
    const send = (ws: WSContext, message: unknown) => ws.send(stringifyJson(message))
    const notify = (ws: WSContext, subId: string, payload: unknown) =>
      send(ws, { jsonrpc: '2.0', method: 'subscribe', params: { subId, payload } })

    const deliver = async (ws: WSContext, event: MintEvent) => {
      for (const [subId, subscription] of subscriptions) {
        if (subscription.held) subscription.held.push(event)
        else for (const payload of await payloadsFor(mint, subscription, event)) notify(ws, subId, payload)
      }
    }

    return {
      onOpen(_event, ws) {
        open.set(client, (open.get(client) ?? 0) + 1)
        stopListening = subscribe((event) => void deliver(ws, event).catch(() => undefined))
      },
      async onMessage(event, ws) {
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
        if (!(WEBSOCKET_COMMANDS as readonly string[]).includes(kind)) {
          return send(ws, rpcError(request.id, -32602, `subscription kind ${kind} is not supported`))
        }
        if (subscriptions.size >= MAX_SUBSCRIPTIONS) {
          return send(
            ws,
            rpcError(request.id, -32602, `at most ${MAX_SUBSCRIPTIONS} subscriptions per connection`),
          )
        }
        const subscription: Subscription = { kind: kind as Command, filters: new Set(filters), held: [] }
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
        const left = (open.get(client) ?? 1) - 1
        if (left > 0) open.set(client, left)
        else open.delete(client)
        stopListening?.()
        subscriptions.clear()
      },
    }
  })
  return [limit, upgrade]
}
