/**
 * Mint events shared between instances through PostgreSQL LISTEN/NOTIFY, so a wallet connected
 * to one instance hears about a quote paid or a proof spent through another. Each instance tags
 * what it publishes and ignores its own messages. NOTIFY payloads are limited to 8000 bytes, so
 * proof-state events are split into chunks of Ys.
 */
import { randomUUID } from 'node:crypto'
import type { MintEvent } from '@cashu-mint/core/mint'
import { parseJson, stringifyJson } from '@cashu-mint/core/protocol'
import postgres from 'postgres'

const CHANNEL = 'cashu_mint_events'
const YS_PER_MESSAGE = 80

export interface EventChannel {
  publish(event: MintEvent): Promise<void>
  close(): Promise<void>
}

export async function openEventChannel(
  url: string,
  onRemoteEvent: (event: MintEvent) => void,
): Promise<EventChannel> {
  const instance = randomUUID()
  const sql = postgres(url, { max: 2, onnotice: () => undefined })
  await sql.listen(CHANNEL, (payload) => {
    try {
      const message = parseJson(payload) as { from: string; event: MintEvent }
      if (message.from !== instance) onRemoteEvent(message.event)
    } catch {
      // Not ours or malformed: ignore.
    }
  })
  const send = (event: MintEvent) => sql.notify(CHANNEL, stringifyJson({ from: instance, event }))
  return {
    async publish(event) {
      if (event.kind !== 'proof_state') return void (await send(event))
      for (let i = 0; i < event.ys.length; i += YS_PER_MESSAGE) {
        await send({ ...event, ys: event.ys.slice(i, i + YS_PER_MESSAGE) })
      }
    },
    close: () => sql.end({ timeout: 5 }),
  }
}
