/**
 * What the service does on its own while it serves: expired NUT-19 responses are purged every ten
 * minutes, and memory is given back when the listeners go quiet (idle-memory.ts).
 */
import { type Clock, nowSeconds } from '@cashu-mint/core/mint'
import type { ResponseCache } from '@cashu-mint/storage'
import type { Logger } from 'pino'
import { reduceMemoryWhenIdle } from './idle-memory.ts'
import type { Listener } from './listen.ts'

export function startHousekeeping(options: {
  responseCache: ResponseCache
  cacheTtlSeconds: number
  clock: Clock
  listeners: readonly Listener[]
  logger: Logger
}): { stop(): void } {
  const { responseCache, logger } = options
  const purge = setInterval(() => {
    const before = nowSeconds(options.clock) - BigInt(options.cacheTtlSeconds)
    responseCache
      .purge(before)
      .catch((error) => logger.warn({ err: error }, 'purging cached responses failed'))
  }, 600_000)
  purge.unref()
  const idleMemory = reduceMemoryWhenIdle(options.listeners)
  return {
    stop() {
      clearInterval(purge)
      idleMemory.stop()
    },
  }
}
