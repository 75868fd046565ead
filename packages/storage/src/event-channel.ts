/**
 * Mint events shared between instances through PostgreSQL LISTEN/NOTIFY, so a wallet connected
 * to one instance hears about a quote paid or a proof spent through another.
 *
 * Proof-state events are batched: those published within `batchMs` go out together, runs of the
 * same state merged into messages of up to YS_PER_MESSAGE Ys (NOTIFY payloads are limited to 8000
 * bytes). A NOTIFY per swap was a noticeable share of a swap's CPU, the mint's and PostgreSQL's
 * (docs/benchmarks.md); under load one now carries several swaps. Any other event goes out at once, after what is queued,
 * so order is kept. Each instance tags what it publishes and skips its own messages unparsed.
 */
import { randomUUID } from 'node:crypto'
import type { MintEvent } from '@cashu-mint/core/mint'
import { parseJson, stringifyJson } from '@cashu-mint/core/protocol'
import postgres from 'postgres'
import { RECONNECTING } from './postgres-options.ts'

const CHANNEL = 'cashu_mint_events'
const YS_PER_MESSAGE = 80
const BATCH_MS = 20

export interface EventChannel {
  /** Resolves once the event is sent (a proof-state event waits for its batch). */
  publish(event: MintEvent): Promise<void>
  /** Sends what is queued, then closes. */
  close(): Promise<void>
}

interface Batch {
  events: MintEvent[]
  sent: Promise<void>
  release(): void
}

/** Appends an event to a batch, merging a proof-state event into the run before it. */
function enqueue(events: MintEvent[], event: MintEvent): void {
  if (event.kind !== 'proof_state') return void events.push(event)
  for (const y of event.ys) {
    const last = events.at(-1)
    if (last?.kind === 'proof_state' && last.state === event.state && last.ys.length < YS_PER_MESSAGE)
      last.ys.push(y)
    else events.push({ kind: 'proof_state', state: event.state, ys: [y] })
  }
}

export async function openEventChannel(
  url: string,
  onRemoteEvent: (event: MintEvent) => void,
  options: { batchMs?: number } = {},
): Promise<EventChannel> {
  const instance = randomUUID()
  const ownPrefix = stringifyJson({ from: instance }).slice(0, -1)
  const sql = postgres(url, { max: 2, onnotice: () => undefined, ...RECONNECTING })
  await sql.listen(CHANNEL, (payload) => {
    if (payload.startsWith(ownPrefix)) return
    try {
      const message = parseJson(payload) as { from: string; event: MintEvent }
      onRemoteEvent(message.event)
    } catch {
      // Not ours or malformed: ignore.
    }
  })
  const sendAll = async (events: MintEvent[]) => {
    for (const event of events) await sql.notify(CHANNEL, stringifyJson({ from: instance, event }))
  }
  let open: Batch | undefined
  let previous: Promise<unknown> = Promise.resolve()
  const closeBatch = () => {
    const batch = open
    open = undefined
    batch?.release()
  }
  const openBatch = (): Batch => {
    const events: MintEvent[] = []
    const due = Promise.withResolvers<void>()
    const timer = setTimeout(closeBatch, options.batchMs ?? BATCH_MS)
    const sent = Promise.all([due.promise, previous]).then(() => sendAll(events))
    previous = sent.catch(() => undefined)
    return {
      events,
      sent,
      release: () => {
        clearTimeout(timer)
        due.resolve()
      },
    }
  }
  return {
    publish(event) {
      open ??= openBatch()
      const batch = open
      enqueue(batch.events, event)
      if (event.kind !== 'proof_state') closeBatch()
      return batch.sent
    },
    async close() {
      closeBatch()
      await previous
      await sql.end({ timeout: 5 })
    },
  }
}
