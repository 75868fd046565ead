/**
 * Efficiency, side by side: the same swap load (bench/load/swap-load.ts: 8 inputs -> 8 outputs with
 * DLEQ, BENCH_CLIENTS=16 clients, BENCH_SECONDS=20 s, in a process of its own) against this mint on
 * PostgreSQL (one worker, one per core), on PGlite, and against cdk-mintd 0.18.3 on SQLite and on
 * PostgreSQL when scripts/cdk-mintd.sh has built it; BENCH_RUNS=2 rounds, each mint once a round.
 * For every run: swaps/s, p50/p99 latency, the mint's own CPU per swap (every process of it, from
 * /proc), PostgreSQL's CPU per swap beside it, peak RSS of the whole mint and of its largest process,
 * and RSS idle: settled after start (BENCH_SETTLE_SECONDS=15 s, past a mint's first quiet period)
 * and as long again after the load.
 * Prints one table and the ratios to cdk-mintd on SQLite; BENCH_WRITE=1 also puts them into
 * docs/benchmarks.md. BENCH_ONLY=<text> runs only the mints whose name contains it.
 */
import { cpus } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { writeBenchmarkSection } from './load/figures.ts'
import { measureSwaps, type SwapFigures } from './load/measure-swaps.ts'
import { cdkMintd, MINTS, type MintUnderTest } from './load/mints.ts'
import { meterTree } from './load/process-tree.ts'

const clients = Number(process.env.BENCH_CLIENTS ?? 16)
const seconds = Number(process.env.BENCH_SECONDS ?? 20)
const runs = Number(process.env.BENCH_RUNS ?? 2)
const MB = 1024 * 1024

const settleSeconds = Number(process.env.BENCH_SETTLE_SECONDS ?? 15)

interface Result extends SwapFigures {
  mint: string
  idleRss: number
  afterLoadRss: number
}

/** The mint's RSS (every process of it) after `settleSeconds` without requests. */
async function settledRss(pid: number): Promise<number> {
  await sleep(settleSeconds * 1000)
  const meter = meterTree(pid)
  const rss = meter.rss()
  meter.stop()
  return rss
}

async function measure(mint: MintUnderTest): Promise<Result> {
  const running = await mint.start()
  try {
    const idleRss = await settledRss(running.pid)
    const figures = await measureSwaps(running, clients, seconds)
    return { mint: mint.name, idleRss, afterLoadRss: await settledRss(running.pid), ...figures }
  } finally {
    await running.stop()
  }
}

const only = process.env.BENCH_ONLY
const hasCdk = cdkMintd() !== undefined
const mints = MINTS.filter((m) => (hasCdk || !m.name.startsWith('cdk')) && (!only || m.name.includes(only)))
const measured: Result[] = []
// Round by round, each mint once a round: this VM's speed drifts by as much as a quarter within an
// hour, so the mints a ratio compares are measured minutes apart, not a whole benchmark apart.
for (let run = 0; run < runs; run++) {
  for (const mint of mints) {
    const result = await measure(mint)
    measured.push(result)
    console.error(
      `${mint.name}, run ${run + 1}: ${result.perSecond.toFixed(0)} swaps/s, ${result.cpuPerSwap.toFixed(2)} ms CPU/swap`,
    )
  }
}
const order = mints.map((m) => m.name)
const results = measured.toSorted((a, b) => order.indexOf(a.mint) - order.indexOf(b.mint))

const f = (n: number, digits = 1) => n.toFixed(digits)
const mb = (bytes: number) => `${Math.round(bytes / MB)}`
const rows = results.map(
  (r) =>
    `| ${r.mint} | ${f(r.perSecond, 0)} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.cpuPerSwap, 2)} | ${r.pgCpuPerSwap === undefined ? '–' : f(r.pgCpuPerSwap, 2)} | ${mb(r.peakRss)} | ${mb(r.peakProcessRss)} | ${mb(r.idleRss)} | ${mb(r.afterLoadRss)} |${r.errors ? ` ${r.errors} errors` : ''}`,
)
/** Runs with errors are left out of the means: a mint that failed requests did not serve that load. */
const mean = (name: string, pick: (r: Result) => number) => {
  const of = results.filter((r) => r.mint === name && r.errors === 0)
  return of.length ? of.reduce((a, r) => a + pick(r), 0) / of.length : undefined
}
const cdkSqlite = 'cdk-mintd 0.18.3, SQLite'
const ratio = (name: string, pick: (r: Result) => number) => {
  const a = mean(name, pick)
  const b = mean(cdkSqlite, pick)
  return a === undefined || b === undefined ? '–' : `${(a / b).toFixed(2)}x`
}
const names = [...new Set(results.map((r) => r.mint))].filter((n) => !n.startsWith('cdk'))
const table = [
  `${clients} clients, ${seconds} s, ${runs} round(s) of one run each, idle RSS ${settleSeconds} s after start and after the load; ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}. Command: \`pnpm bench:efficiency\`.`,
  '',
  '| mint | swaps/s | p50 ms | p99 ms | CPU/swap ms | PostgreSQL CPU/swap ms | peak RSS MB | largest process MB | idle RSS MB | RSS after the load MB |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
  '',
  hasCdk
    ? 'Against cdk-mintd on SQLite (means of the runs without errors):'
    : 'cdk-mintd is not built (bash scripts/cdk-mintd.sh): no ratios.',
  '',
  ...(hasCdk
    ? [
        '| mint | CPU/swap | swaps/s |',
        '| --- | ---: | ---: |',
        ...names.map((n) => `| ${n} | ${ratio(n, (r) => r.cpuPerSwap)} | ${ratio(n, (r) => r.perSecond)} |`),
      ]
    : []),
].join('\n')
console.log(table)

if (process.env.BENCH_WRITE === '1') writeBenchmarkSection('efficiency', 'pnpm bench:efficiency', table)
