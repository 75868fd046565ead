/**
 * Gives memory back when the mint goes quiet. V8 keeps its heap at the size its busiest moment
 * needed: its own memory reducer judges the allocation rate from the last garbage collection, and
 * a process that allocates nothing has none, so after start-up or a burst of swaps it idles at its
 * peak (after start-up or a burst, well above what a collection leaves; docs/benchmarks.md, memory).
 * When no request has arrived for `quietMs` (checked ten times as often) and some arrived since the
 * last collection (or the process has just started), this runs one memory-reducing full collection:
 * tens of ms, at a time when nothing waits for it. It needs node's `--expose-gc` (scripts/start.sh
 * and the cashu-mint bin pass it); without it, it does nothing.
 */
import type { EventEmitter } from 'node:events'

export interface IdleMemory {
  stop(): void
}

const collectAll = () => globalThis.gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' })

export function reduceMemoryWhenIdle(
  servers: readonly EventEmitter[],
  quietMs = 10_000,
  collect: () => unknown = collectAll,
): IdleMemory {
  let requests = 0
  let lastRequestAt = performance.now()
  let collectedAt = -1
  for (const server of servers) {
    server.on('request', () => {
      requests++
      lastRequestAt = performance.now()
    })
  }
  const timer = setInterval(
    () => {
      if (requests !== collectedAt && performance.now() - lastRequestAt >= quietMs) {
        collect()
        collectedAt = requests
      }
    },
    Math.max(1, Math.min(1000, quietMs / 10)),
  )
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
