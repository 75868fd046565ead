/**
 * The keys in another process, side by side with the keys in the mint's: the efficiency
 * benchmark's swap load (bench/load/swap-load.ts: 8 inputs -> 8 outputs with DLEQ, BENCH_CLIENTS=16
 * clients, BENCH_SECONDS=20 s) against this mint on PostgreSQL with one worker and with one per
 * core, each with its seed in-process and with `cashu-mint signer` (the built JavaScript, its own
 * PGlite, mutual TLS on loopback) holding the keys; BENCH_RUNS=2 rounds, each set-up once a round.
 * CPU per swap counts the signer's process with the mint's. Prints every run and a table with each
 * signer set-up's throughput as a share of the same set-up in-process; BENCH_WRITE=1 puts the table
 * into docs/benchmarks.md.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { makeCertificates, writeCertificates } from '../src/config/tls-certificates.ts'
import { freePort } from '../test/free-port.ts'
import { listening } from '../test/peers/peer-process.ts'
import { range, writeBenchmarkSection } from './load/figures.ts'
import { measureSwaps, type SwapFigures } from './load/measure-swaps.ts'
import { type MintUnderTest, type RunningMint, thisMint } from './load/mints.ts'

const clients = Number(process.env.BENCH_CLIENTS ?? 16)
const seconds = Number(process.env.BENCH_SECONDS ?? 20)
const runs = Number(process.env.BENCH_RUNS ?? 2)
const root = join(import.meta.dirname, '../../..')

const certs = await writeCertificates(
  await mkdtemp(join(tmpdir(), 'bench-signer-certs-')),
  await makeCertificates({ hosts: ['127.0.0.1'] }),
)

/** `cashu-mint signer` on a free port with a fresh data folder, once it listens. */
async function startSigner(): Promise<{ child: ChildProcess; address: string; stop(): Promise<void> }> {
  const port = await freePort()
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-signer-'))
  const child = spawn(
    process.execPath,
    [
      join(root, 'apps/mint/dist/cli/cli.js'),
      'signer',
      '--listen',
      `127.0.0.1:${port}`,
      '--tls-dir',
      certs.server,
    ],
    { env: { ...process.env, CASHU_MINT_DATA_DIR: dataDir, CASHU_MINT_LOG_LEVEL: 'warn' }, stdio: 'inherit' },
  )
  while (!(await listening(port))) {
    if (child.exitCode !== null) throw new Error('cashu-mint signer exited')
    await sleep(100)
  }
  return {
    child,
    address: `127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

interface SetUp {
  name: string
  workers: number
  remote: boolean
}

/** The set-up as a mint to measure: with a signer of its own when `remote`. */
function mintOf(setUp: SetUp): MintUnderTest {
  return {
    name: setUp.name,
    async start(): Promise<RunningMint> {
      if (!setUp.remote) return thisMint(setUp.name, 'postgres', setUp.workers).start()
      const signer = await startSigner()
      const env = { CASHU_MINT_SIGNER: signer.address, CASHU_MINT_SIGNER_TLS_DIR: certs.client }
      const mint = await thisMint(setUp.name, 'postgres', setUp.workers, { env }).start()
      return {
        ...mint,
        companions: [signer.child.pid as number],
        async stop() {
          await mint.stop()
          await signer.stop()
        },
      }
    },
  }
}

const cores = availableParallelism()
const setUps: SetUp[] = [
  { name: 'PostgreSQL, 1 worker, seed in-process', workers: 1, remote: false },
  { name: 'PostgreSQL, 1 worker, cashu-mint signer', workers: 1, remote: true },
  { name: `PostgreSQL, ${cores} workers, seed in-process`, workers: cores, remote: false },
  { name: `PostgreSQL, ${cores} workers, cashu-mint signer`, workers: cores, remote: true },
]

const measured = new Map<string, SwapFigures[]>()
for (let run = 0; run < runs; run++)
  for (const setUp of setUps) {
    const running = await mintOf(setUp).start()
    try {
      const figures = await measureSwaps(running, clients, seconds)
      measured.set(setUp.name, [...(measured.get(setUp.name) ?? []), figures])
      console.error(
        `${setUp.name}, run ${run + 1}: ${figures.perSecond.toFixed(0)} swaps/s, ${figures.cpuPerSwap.toFixed(2)} ms CPU/swap, p99 ${figures.p99.toFixed(0)} ms${figures.errors ? `, ${figures.errors} errors` : ''}`,
      )
    } finally {
      await running.stop()
    }
  }

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length
const rows = setUps.map((setUp) => {
  const figures = measured.get(setUp.name) ?? []
  const inProcess = setUps.find((s) => s.workers === setUp.workers && !s.remote) as SetUp
  const share =
    mean(figures.map((f) => f.perSecond)) / mean((measured.get(inProcess.name) ?? []).map((f) => f.perSecond))
  return `| ${setUp.name} | ${range(
    figures.map((f) => f.perSecond),
    (n) => n.toFixed(0),
  )} | ${range(
    figures.map((f) => f.cpuPerSwap),
    (n) => n.toFixed(2),
  )} | ${range(
    figures.map((f) => f.p50),
    (n) => n.toFixed(0),
  )} / ${range(
    figures.map((f) => f.p99),
    (n) => n.toFixed(0),
  )} | ${setUp.remote ? `${(share * 100).toFixed(0)} %` : '100 %'} | ${figures.reduce((a, f) => a + f.errors, 0)} |`
})
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`
const table = `${machine}; ${clients} clients, ${seconds} s a run, ${runs} runs each.

| set-up | swaps/s | CPU/swap, ms (mint + signer) | p50 / p99, ms | throughput vs in-process | errors |
| --- | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}`
console.log(table)
if (process.env.BENCH_WRITE === '1') writeBenchmarkSection('signer', 'pnpm bench:signer', table)
