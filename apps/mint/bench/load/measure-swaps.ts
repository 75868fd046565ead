/**
 * One measured swap load against a running mint: the load generator (swap-load.ts) in its own
 * process, the mint's process tree and PostgreSQL's metered from /proc while it runs.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { RunningMint } from './mints.ts'
import { meterTree, postmasterPid } from './process-tree.ts'

export interface SwapFigures {
  /** Swaps completed in the measured time. */
  swaps: number
  perSecond: number
  p50: number
  p99: number
  /** The mint's own CPU (every process of it, its companions too) per swap, ms. */
  cpuPerSwap: number
  /** PostgreSQL's CPU per swap, ms, when the mint uses the shared server. */
  pgCpuPerSwap: number | undefined
  peakRss: number
  peakProcessRss: number
  errors: number
}

export async function measureSwaps(
  running: RunningMint,
  clients: number,
  seconds: number,
): Promise<SwapFigures> {
  const load = spawn(
    process.execPath,
    [
      '--conditions=development',
      join(import.meta.dirname, 'swap-load.ts'),
      running.url,
      String(clients),
      String(seconds),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  )
  const lines = createInterface({ input: load.stdout })[Symbol.asyncIterator]()
  if ((await lines.next()).value !== 'ready') throw new Error('the load generator did not get ready')
  const mintMeter = meterTree(running.pid)
  const companionMeters = (running.companions ?? []).map((pid) => meterTree(pid))
  const pgMeter = running.postgres ? meterTree(postmasterPid()) : undefined
  load.stdin.write('go\n')
  const result = JSON.parse((await lines.next()).value as string) as {
    swaps: number
    perSecond: number
    p50: number
    p99: number
    errors: number
    preparedInside: number
  }
  if (result.preparedInside > 0)
    console.error(
      `the load generator blinded ${result.preparedInside} swaps' outputs inside the measured time: raise BENCH_PREPARED_SWAPS_PER_SECOND`,
    )
  const cpu = companionMeters.reduce((sum, meter) => sum + meter.cpuMs(), mintMeter.cpuMs())
  const pgCpu = pgMeter?.cpuMs()
  mintMeter.stop()
  for (const meter of companionMeters) meter.stop()
  pgMeter?.stop()
  return {
    swaps: result.swaps,
    perSecond: result.perSecond,
    p50: result.p50,
    p99: result.p99,
    cpuPerSwap: cpu / result.swaps,
    pgCpuPerSwap: pgCpu === undefined ? undefined : pgCpu / result.swaps,
    peakRss: mintMeter.peakRss(),
    peakProcessRss: mintMeter.peakProcessRss(),
    errors: result.errors,
  }
}
