/**
 * NUT-17: websocket subscriptions over JSON-RPC 2.0 at /v1/ws. The mint answers a subscribe with a
 * result ack, then sends the current state of every filtered object, then each change.
 */
import { z } from 'zod'
import { list } from './primitives.ts'

export const SubscriptionKind = z.enum([
  'bolt11_mint_quote',
  'bolt11_melt_quote',
  'bolt12_mint_quote',
  'bolt12_melt_quote',
  'proof_state',
])
export type SubscriptionKind = z.output<typeof SubscriptionKind>

const requestId = z.union([z.bigint(), z.string()])

export const WsSubscribeRequest = z.object({
  jsonrpc: z.literal('2.0'),
  method: z.literal('subscribe'),
  params: z.object({
    kind: SubscriptionKind,
    subId: z.string().min(1).max(128),
    filters: list(z.string().min(1).max(256), 'filters')
      .min(1, 'filters must not be empty')
      .max(1000, 'at most 1000 filters per subscription'),
  }),
  id: requestId,
})

export const WsUnsubscribeRequest = z.object({
  jsonrpc: z.literal('2.0'),
  method: z.literal('unsubscribe'),
  params: z.object({ subId: z.string().min(1).max(128) }),
  id: requestId,
})

export const WsRequest = z.discriminatedUnion('method', [WsSubscribeRequest, WsUnsubscribeRequest])
export type WsRequest = z.output<typeof WsRequest>

export interface WsResponse {
  jsonrpc: '2.0'
  result: { status: 'OK'; subId: string }
  id: bigint | string
}

export interface WsNotification<Payload> {
  jsonrpc: '2.0'
  method: 'subscribe'
  params: { subId: string; payload: Payload }
}

export interface WsError {
  jsonrpc: '2.0'
  error: { code: number; message: string }
  id: bigint | string | null
}
