/**
 * A small benchmark harness: runs an operation for a fixed time after a warm-up, timing each call,
 * and reports ops/s with latency percentiles. Used by every `pnpm bench` script.
 */
export interface BenchResult {
  name: string
  ops: number
  opsPerSecond: number
  p50: number
  p99: number
  mean: number
}

export interface BenchOptions {
  /** Measured time in milliseconds (after warm-up). */
  durationMs?: number
  warmupMs?: number
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number
}

export function bench(name: string, op: () => unknown, options: BenchOptions = {}): BenchResult {
  const { durationMs = 2000, warmupMs = 300 } = options
  const warmupEnd = performance.now() + warmupMs
  while (performance.now() < warmupEnd) op()
  const samples: number[] = []
  const start = performance.now()
  const end = start + durationMs
  for (let now = start; now < end; ) {
    const t0 = performance.now()
    op()
    now = performance.now()
    samples.push(now - t0)
  }
  const elapsed = performance.now() - start
  const sorted = Float64Array.from(samples).sort()
  return {
    name,
    ops: samples.length,
    opsPerSecond: (samples.length / elapsed) * 1000,
    p50: percentile(sorted, 0.5) * 1000,
    p99: percentile(sorted, 0.99) * 1000,
    mean: (elapsed / samples.length) * 1000,
  }
}

export function printTable(title: string, rows: (BenchResult & { note?: string })[]): void {
  console.log(`\n${title}`)
  console.log(
    `${'operation'.padEnd(44)} ${'ops/s'.padStart(10)} ${'mean µs'.padStart(9)} ${'p50 µs'.padStart(9)} ${'p99 µs'.padStart(9)}  note`,
  )
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(44)} ${row.opsPerSecond.toFixed(0).padStart(10)} ${row.mean.toFixed(1).padStart(9)} ${row.p50.toFixed(1).padStart(9)} ${row.p99.toFixed(1).padStart(9)}  ${row.note ?? ''}`,
    )
  }
}
