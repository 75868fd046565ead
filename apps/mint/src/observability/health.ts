/**
 * Health for probes and load balancers: does the database answer (a count of pending melts) and
 * does each payment backend answer (its balance), each within a deadline. Without its database the
 * mint can do nothing: "down", 503. Without a backend it still swaps, checks and restores, and the
 * other backends' units still top up and cash out: "degraded", 200, so a balancer keeps sending it
 * traffic while the operator is told which backend is out.
 */
import type { PaymentBackend } from '@cashu-mint/core/mint'
import type { Reports } from '@cashu-mint/storage'

export interface Check {
  ok: boolean
  ms: number
  error?: string
}

export interface Health {
  status: 'ok' | 'degraded' | 'down'
  database: Check
  /** Per backend, by the operator's name for it. */
  backends: Record<string, Check>
  /** Melts waiting for their payment's outcome (null when the database did not answer). */
  pending_melts: number | null
}

export interface HealthSources {
  reports: Pick<Reports, 'pendingMelts'>
  backends: readonly { label: string; backend: Pick<PaymentBackend, 'balance'> }[]
}

async function probe<T>(work: () => Promise<T>, timeoutMs: number): Promise<[Check, T | undefined]> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    const value = await Promise.race([work(), deadline])
    return [{ ok: true, ms: elapsed() }, value]
  } catch (error) {
    return [{ ok: false, ms: elapsed(), error: (error as Error).message }, undefined]
  } finally {
    clearTimeout(timer)
  }
}

export async function checkHealth(sources: HealthSources, timeoutMs = 2000): Promise<Health> {
  const [[database, pending], checked] = await Promise.all([
    probe(() => sources.reports.pendingMelts(), timeoutMs),
    Promise.all(sources.backends.map(({ backend }) => probe(() => backend.balance(), timeoutMs))),
  ])
  const backends = Object.fromEntries(
    sources.backends.map(({ label }, i) => [label, (checked[i] as [Check, unknown])[0]]),
  )
  const allUp = Object.values(backends).every((check) => check.ok)
  const status = !database.ok ? 'down' : allUp ? 'ok' : 'degraded'
  return { status, database, backends, pending_melts: pending ?? null }
}

/** What a probe reads from the status: 503 only when the mint cannot serve at all. */
export const healthCode = (health: Health): 200 | 503 => (health.status === 'down' ? 503 : 200)
