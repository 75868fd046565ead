/**
 * Efficiency, side by side: the same swap load (bench/load/swap-load.ts: 8 inputs -> 8 outputs with
 * DLEQ, BENCH_CLIENTS=16 clients, BENCH_SECONDS=20 s, in a process of its own) against this mint on
 * PostgreSQL (one worker, one per core), on PGlite, and against cdk-mintd 0.18.3 on SQLite and on
 * PostgreSQL when scripts/cdk-mintd.sh has built it, and against Nutshell 0.21.0 on SQLite and on
 * PostgreSQL when scripts/nutshell.sh has installed it; BENCH_RUNS=2 rounds, each mint once a round.
 * For every run: swaps/s, p50/p99 latency, the mint's own CPU per swap (every process of it, from
 * /proc), PostgreSQL's CPU per swap beside it, peak RSS of the whole mint and of its largest process,
 * and RSS idle: settled after start (BENCH_SETTLE_SECONDS=15 s, past a mint's first quiet period)
 * and as long again after the load.
 * Prints every run, then one row per mint with its ratios to cdk-mintd and to Nutshell (each on
 * SQLite, its default), and the memory table (bench/load/efficiency-tables.ts); BENCH_WRITE=1 puts
 * the last two into docs/benchmarks.md, as its service and memory tables. BENCH_ONLY=<text>[|<text>...] runs only the mints whose name contains one of them (any case).
 */
import { cpus, totalmem } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  type EfficiencyResult,
  failed,
  memoryTable,
  perRunTable,
  serviceTable,
} from './load/efficiency-tables.ts'
import { writeBenchmarkSection } from './load/figures.ts'
import { measureSwaps } from './load/measure-swaps.ts'
import { cdkMintd, MINTS, type MintUnderTest, nutshellMint } from './load/mints.ts'
import { meterTree } from './load/process-tree.ts'

const clients = Number(process.env.BENCH_CLIENTS ?? 16)
const seconds = Number(process.env.BENCH_SECONDS ?? 20)
const runs = Number(process.env.BENCH_RUNS ?? 2)
const settleSeconds = Number(process.env.BENCH_SETTLE_SECONDS ?? 15)

/** The mint's RSS (every process of it) after `settleSeconds` without requests. */
async function settledRss(pid: number): Promise<number> {
  await sleep(settleSeconds * 1000)
  const meter = meterTree(pid)
  const rss = meter.rss()
  meter.stop()
  return rss
}

async function measure(mint: MintUnderTest): Promise<EfficiencyResult> {
  const running = await mint.start()
  try {
    const idleRss = await settledRss(running.pid)
    const figures = await measureSwaps(running, clients, seconds)
    return { mint: mint.name, idleRss, afterLoadRss: await settledRss(running.pid), ...figures }
  } finally {
    await running.stop()
  }
}

const only = process.env.BENCH_ONLY?.toLowerCase().split('|').filter(Boolean)
if (process.env.BENCH_WRITE === '1' && only?.length)
  throw new Error('BENCH_WRITE=1 replaces the whole service table: run every mint (no BENCH_ONLY)')
// The peers are optional: each is built or installed once per machine, outside CI.
const peers = [
  { name: 'cdk-mintd', present: cdkMintd() !== undefined, install: 'bash scripts/cdk-mintd.sh --release' },
  { name: 'Nutshell', present: nutshellMint() !== undefined, install: 'bash scripts/nutshell.sh' },
]
for (const peer of peers)
  if (!peer.present) console.error(`${peer.name} is not on this machine (${peer.install}): skipped`)
const mints = MINTS.filter(
  (m) =>
    peers.every((p) => p.present || !m.name.startsWith(p.name)) &&
    (!only?.length || only.some((o) => m.name.toLowerCase().includes(o))),
)
const measured: EfficiencyResult[] = []
// Round by round, each mint once a round: this VM's speed drifts by as much as a quarter within an
// hour, so the mints a ratio compares are measured minutes apart, not a whole benchmark apart.
for (let run = 0; run < runs; run++) {
  for (const mint of mints) {
    const result = await measure(mint)
    measured.push(result)
    console.error(
      `${mint.name}, run ${run + 1}: ${result.perSecond.toFixed(0)} swaps/s, ${result.cpuPerSwap.toFixed(2)} ms CPU/swap${result.errors ? `, ${failed(result.errors)}` : ''}`,
    )
  }
}
const order = mints.map((m) => m.name)
const results = measured.toSorted((a, b) => order.indexOf(a.mint) - order.indexOf(b.mint))

/** The command as run, with every BENCH_ setting that was set. */
const settings = [
  'BENCH_CLIENTS',
  'BENCH_SECONDS',
  'BENCH_RUNS',
  'BENCH_SETTLE_SECONDS',
  'BENCH_ONLY',
  'BENCH_NODE_ARGS',
  'BENCH_MINT_MAIN',
  'BENCH_PREPARED_SWAPS_PER_SECOND',
]
  .filter((name) => process.env[name] !== undefined)
  .map((name) => {
    const value = process.env[name] as string
    return `${name}=${/^[\w.,-]+$/.test(value) ? value : `"${value}"`} `
  })
  .join('')
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}`
const command = `Command: \`${settings}pnpm bench:efficiency\`.`
const service = serviceTable(
  results,
  `${clients} clients, ${seconds} s a run, ${runs} round(s), each mint once a round; idle RSS ${settleSeconds} s after start. Machine: ${machine}. ${command}`,
)
const memory = memoryTable(
  results,
  `The same run as the service table: idle ${settleSeconds} s after start and again after the load. Machine: ${machine}. ${command}`,
)
console.log(`${perRunTable(results)}\n\n${service}\n\n${memory}`)

if (process.env.BENCH_WRITE === '1') {
  writeBenchmarkSection('efficiency', 'pnpm bench:efficiency', service)
  writeBenchmarkSection('memory', 'pnpm bench:efficiency', memory)
}
