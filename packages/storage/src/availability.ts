/**
 * PostgreSQL down, restarting or refusing connections, as the port's UnavailableError, so the HTTP
 * edge answers 503 with Retry-After instead of a 500 with the failed statement in the log. Every
 * method of the store and the service's stores is wrapped: a failure of the connection class
 * (a socket error, postgres.js losing its connection, SQLSTATE class 08, the server shutting down
 * or not yet accepting connections, too many connections) becomes UnavailableError; any other
 * error passes through untouched. The outage is reported once when it begins and once when a query
 * succeeds again, not once per request.
 */
import { type Dependency, UnavailableError } from '@cashu-mint/core/mint'

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // postgres.js
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
])
/** admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections. */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300'])

/** The connection failure an error is or wraps, if it is one. */
function connectionFailure(error: unknown): { code: string; message: string } | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code !== 'string') continue
    const message = e instanceof Error ? e.message : ''
    // 55000 is also a query's error; as a refused connection it says so (datallowconn off).
    const refused = code === '55000' && message.includes('not currently accepting connections')
    if (refused || SOCKET_CODES.has(code) || SQLSTATES.has(code) || code.startsWith('08'))
      return { code, message }
  }
  return undefined
}

/** Whether an error (or one it wraps) says the database cannot be reached, not that a query is wrong. */
export const isDatabaseUnreachable = (error: unknown): boolean => connectionFailure(error) !== undefined

/** The reason of a connection failure, in the driver's own words (never a statement or its parameters). */
function reasonOf(error: unknown): string {
  const failure = connectionFailure(error)
  if (!failure) return 'connection failed'
  return failure.message && !failure.message.includes('\n')
    ? `${failure.code}: ${failure.message}`
    : failure.code
}

export type OutageEvent =
  | { state: 'down'; dependency: Dependency; reason: string }
  | { state: 'up'; dependency: Dependency; downMs: number; failures: number }

/** Follows one dependency's outages: `failed` and `succeeded` per call, one event per change. */
export function createOutageTracker(dependency: Dependency, report: (event: OutageEvent) => void) {
  let down: { since: number; failures: number } | undefined
  return {
    failed(reason: string) {
      if (down) down.failures++
      else {
        down = { since: Date.now(), failures: 1 }
        report({ state: 'down', dependency, reason })
      }
    },
    succeeded() {
      if (!down) return
      const { since, failures } = down
      down = undefined
      report({ state: 'up', dependency, downMs: Date.now() - since, failures })
    },
  }
}

export type OutageTracker = ReturnType<typeof createOutageTracker>

/**
 * The same object, each of its methods converting connection failures to UnavailableError and
 * telling the tracker. Methods that return something other than a promise are left as they are.
 */
export function guardAvailability<T extends object>(target: T, tracker: OutageTracker): T {
  const guarded = {} as Record<string, unknown>
  for (const [name, value] of Object.entries(target)) {
    if (typeof value !== 'function') {
      guarded[name] = value
      continue
    }
    guarded[name] = (...args: unknown[]) => {
      const result = (value as (...a: unknown[]) => unknown).apply(target, args)
      if (!(result instanceof Promise)) return result
      return result.then(
        (answer) => {
          tracker.succeeded()
          return answer
        },
        (error: unknown) => {
          if (!isDatabaseUnreachable(error)) throw error
          const reason = reasonOf(error)
          tracker.failed(reason)
          throw new UnavailableError('database', reason)
        },
      )
    }
  }
  return guarded as T
}
