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
 * Prints every run, then one row per mint and its ratios to cdk-mintd and to Nutshell (each on SQLite,
 * its default); BENCH_WRITE=1 also puts the latter two into docs/benchmarks.md, the service table at
 * its top. BENCH_ONLY=<text>[|<text>...] runs only the mints whose name contains one of them (any case).
 */
import { cpus, totalmem } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { range, writeBenchmarkSection } from './load/figures.ts'
import { measureSwaps, type SwapFigures } from './load/measure-swaps.ts'
import { cdkMintd, MINTS, type MintUnderTest, nutshellMint } from './load/mints.ts'
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

const only = process.env.BENCH_ONLY?.toLowerCase().split('|').filter(Boolean)
if (process.env.BENCH_WRITE === '1' && only?.length)
  throw new Error('BENCH_WRITE=1 replaces the whole service table: run every mint (no BENCH_ONLY)')
// The peers are optional: each is built or installed once per machine, outside CI.
const peers = [
  { name: 'cdk-mintd', present: cdkMintd() !== undefined, install: 'bash scripts/cdk-mintd.sh' },
  { name: 'Nutshell', present: nutshellMint() !== undefined, install: 'bash scripts/nutshell.sh' },
]
for (const peer of peers)
  if (!peer.present) console.error(`${peer.name} is not on this machine (${peer.install}): skipped`)
const mints = MINTS.filter(
  (m) =>
    peers.every((p) => p.present || !m.name.startsWith(p.name)) &&
    (!only?.length || only.some((o) => m.name.toLowerCase().includes(o))),
)
const failed = (errors: number) => `${errors} error${errors === 1 ? '' : 's'}`
const measured: Result[] = []
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
const names = [...new Set(results.map((r) => r.mint))]

const f = (n: number, digits = 1) => n.toFixed(digits)
const whole = (n: number) => f(n, 0)
const hundredths = (n: number) => f(n, 2)
const mb = (bytes: number) => `${Math.round(bytes / MB)}`
const perRun = [
  '| mint | swaps/s | p50 ms | p99 ms | CPU/swap ms | PostgreSQL CPU/swap ms | peak RSS MB | largest process MB | idle RSS MB | RSS after the load MB |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.map(
    (r) =>
      `| ${r.mint} | ${f(r.perSecond, 0)} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.cpuPerSwap, 2)} | ${r.pgCpuPerSwap === undefined ? '–' : f(r.pgCpuPerSwap, 2)} | ${mb(r.peakRss)} | ${mb(r.peakProcessRss)} | ${mb(r.idleRss)} | ${mb(r.afterLoadRss)} |${r.errors ? ` ${failed(r.errors)}` : ''}`,
  ),
].join('\n')

/**
 * A mint's runs, and those the summary shows: the ones without errors (a mint that failed requests
 * did not serve that load), or all of them when none was without.
 */
const runsOf = (name: string) => {
  const all = results.filter((r) => r.mint === name)
  const clean = all.filter((r) => r.errors === 0)
  return { all, shown: clean.length ? clean : all, clean: clean.length }
}
const summaryRow = (name: string) => {
  const { all, shown, clean } = runsOf(name)
  const cell = (pick: (r: Result) => number | undefined, text: (n: number) => string) => {
    const values = shown.map(pick).filter((v) => v !== undefined)
    return values.length ? range(values, text) : '–'
  }
  const errors = all.filter((r) => r.errors).map((r) => failed(r.errors))
  const cells = [
    name,
    `${clean} of ${all.length}${errors.length ? ` (${errors.join(', ')})` : ''}`,
    cell((r) => r.perSecond, whole),
    cell((r) => r.p50, f),
    cell((r) => r.p99, f),
    cell((r) => r.cpuPerSwap, hundredths),
    cell((r) => r.pgCpuPerSwap, hundredths),
    cell((r) => r.peakRss, mb),
    cell((r) => r.idleRss, mb),
  ]
  return `| ${cells.join(' | ')} |`
}
/** The mean over the runs the summary shows: without errors when there are any. */
const mean = (name: string, pick: (r: Result) => number) => {
  const { shown } = runsOf(name)
  return shown.length ? shown.reduce((a, r) => a + pick(r), 0) / shown.length : undefined
}
/** Each peer on its default database, SQLite; measured only when it ran. */
const references = [
  { mint: 'cdk-mintd 0.18.3, SQLite', short: 'cdk-mintd' },
  { mint: 'Nutshell 0.21.0, SQLite', short: 'Nutshell' },
].filter((r) => names.includes(r.mint))
/** Marked `*` when one side had no run without errors (Nutshell under this load may have none). */
const ratio = (name: string, reference: string, pick: (r: Result) => number) => {
  const a = mean(name, pick)
  const b = mean(reference, pick)
  if (name === reference || a === undefined || b === undefined) return '–'
  const mark = runsOf(name).clean && runsOf(reference).clean ? '' : '*'
  return `${(a / b).toFixed(2)}x${mark}`
}
const ratioRow = (name: string) =>
  `| ${name} | ${references.map((r) => `${ratio(name, r.mint, (x) => x.cpuPerSwap)} | ${ratio(name, r.mint, (x) => x.perSecond)}`).join(' | ')} |`
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
  .map(
    (name) =>
      `${name}=${/^[\w.,-]+$/.test(process.env[name] as string) ? process.env[name] : `"${process.env[name]}"`} `,
  )
  .join('')
const summary = [
  `${clients} clients, ${seconds} s a run, ${runs} round(s), each mint once a round; idle RSS ${settleSeconds} s after start. Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}. Command: \`${settings}pnpm bench:efficiency\`.`,
  '',
  '| mint | runs without errors | swaps/s | p50 ms | p99 ms | CPU/swap ms | PostgreSQL CPU/swap ms | peak RSS MB | idle RSS MB |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...names.map(summaryRow),
  '',
  references.length
    ? `Against ${references.map((r) => r.mint).join(' and ')}, on the means of the runs without errors (\`*\`: of all runs, where one side had none without errors). CPU/swap below 1x is less CPU a swap, swaps/s above 1x more swaps a second:`
    : 'Neither cdk-mintd nor Nutshell ran: no ratios.',
  ...(references.length
    ? [
        '',
        `| mint | ${references.map((r) => `CPU/swap against ${r.short} | swaps/s against ${r.short}`).join(' | ')} |`,
        `| --- |${' ---: | ---: |'.repeat(references.length)}`,
        ...names.map(ratioRow),
      ]
    : []),
].join('\n')
console.log(`${perRun}\n\n${summary}`)

if (process.env.BENCH_WRITE === '1') writeBenchmarkSection('efficiency', 'pnpm bench:efficiency', summary)
