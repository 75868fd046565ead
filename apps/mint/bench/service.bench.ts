/**
 * Service benchmark (HTTP issue): concurrent clients against the running service on PostgreSQL,
 * with one worker and with one per core. Measures swap (8 inputs -> 8 outputs, DLEQ on every
 * signature), mint (8 outputs on a paid quote) and checkstate (8 Ys): ops/s and latency percentiles.
 * The clients run in this process and blind/unblind with the native backend, so on a small machine
 * they take a share of the CPU the server could use; figures are end to end, client work included.
 * Needs PostgreSQL (scripts/postgres.sh). BENCH_SECONDS (default 8), BENCH_CLIENTS (default 16),
 * BENCH_WORKERS (default: 1, then one per core).
 */
import { spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { availableParallelism, cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { bytesToHex, hashSecretToCurve, selectCurveBackend } from '@cashu-mint/core/crypto'
import { type GetKeysResponse, type Proof, parseJson, stringifyJson } from '@cashu-mint/core/protocol'
import { blindOutputs, unblindProofs } from '@cashu-mint/core/testing'
import { createPostgresDatabase } from '../../../packages/storage/test/databases.ts'
import { freePort } from '../test/free-port.ts'

const curve = selectCurveBackend('native')
const seconds = Number(process.env.BENCH_SECONDS ?? 8)
const clients = Number(process.env.BENCH_CLIENTS ?? 16)
const EIGHT = Array<bigint>(8).fill(1n)

interface Row {
  name: string
  ops: number
  opsPerSecond: number
  p50: number
  p99: number
}

async function startService(databaseUrl: string, dataDir: string, workers: number) {
  const port = await freePort()
  // BENCH_NODE_ARGS passes flags to the service, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  // The service as production runs it: the built JavaScript (pnpm build).
  const child = spawn(process.execPath, [...nodeArgs, join(import.meta.dirname, '../dist/main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      CASHU_MINT_DATA_DIR: dataDir,
      CASHU_MINT_PORT: String(port),
      CASHU_MINT_ADMIN_PORT: '0',
      CASHU_MINT_WORKERS: String(workers),
      CASHU_MINT_FAKE_DELAY_MS: '0',
      CASHU_MINT_RATE_LIMIT_PER_MINUTE: '0',
      CASHU_MINT_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/v1/info`)).ok) break
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.on('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

async function call<T>(url: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(
    `${url}${path}`,
    body === undefined ? {} : { method: 'POST', body: stringifyJson(body) },
  )
  const text = await response.text()
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`)
  return parseJson(text) as T
}

async function paidQuote(url: string, amount: bigint): Promise<string> {
  const { quote } = await call<{ quote: string }>(url, '/v1/mint/quote/bolt11', { amount, unit: 'sat' })
  for (;;) {
    const { state } = await call<{ state: string }>(url, `/v1/mint/quote/bolt11/${quote}`)
    if (state === 'PAID') return quote
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Runs `op` from `clients` concurrent loops for `seconds`, timing each call. */
async function measure(name: string, op: (client: number) => Promise<void>): Promise<Row> {
  const latencies: number[] = []
  const end = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < end) {
        const t0 = performance.now()
        await op(client)
        latencies.push(performance.now() - t0)
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0
  return {
    name,
    ops: latencies.length,
    opsPerSecond: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
  }
}

async function runScenario(databaseUrl: string, dataDir: string, workers: number): Promise<Row[]> {
  const service = await startService(databaseUrl, dataDir, workers)
  const { url } = service
  const keys = await call<GetKeysResponse>(url, '/v1/keys')
  const keysetId = keys.keysets.find((k) => k.id.startsWith('01'))?.id as string
  // Each client starts with 8 proofs of 1 sat (no input fee) and swaps them into 8 new ones.
  const wallets: Proof[][] = await Promise.all(
    Array.from({ length: clients }, async () => {
      const quote = await paidQuote(url, 8n)
      const blinded = blindOutputs(curve, keysetId, EIGHT)
      const { signatures } = await call<{ signatures: never[] }>(url, '/v1/mint/bolt11', {
        quote,
        outputs: blinded.outputs,
      })
      return unblindProofs(curve, keys, blinded, signatures)
    }),
  )
  const rows: Row[] = []
  rows.push(
    await measure(`swap 8->8, ${workers} worker(s)`, async (client) => {
      const blinded = blindOutputs(curve, keysetId, EIGHT)
      const { signatures } = await call<{ signatures: never[] }>(url, '/v1/swap', {
        inputs: wallets[client],
        outputs: blinded.outputs,
      })
      wallets[client] = unblindProofs(curve, keys, blinded, signatures)
    }),
  )
  const quotes = await Promise.all(Array.from({ length: clients * 200 }, () => paidQuote(url, 8n)))
  rows.push(
    await measure(`mint 8 outputs, ${workers} worker(s)`, async () => {
      const quote = quotes.pop()
      if (!quote) throw new Error('out of paid quotes: lower BENCH_SECONDS')
      await call(url, '/v1/mint/bolt11', { quote, outputs: blindOutputs(curve, keysetId, EIGHT).outputs })
    }),
  )
  rows.push(
    await measure(`checkstate 8 Ys, ${workers} worker(s)`, async (client) => {
      const Ys = (wallets[client] as Proof[]).map((p) => bytesToHex(hashSecretToCurve(curve, p.secret)))
      await call(url, '/v1/checkstate', { Ys })
    }),
  )
  await service.stop()
  return rows
}

const database = await createPostgresDatabase()
try {
  // One seed for both runs: the database's keysets derive from it.
  const dataDir = await mkdtemp(join(tmpdir(), 'mint-bench-'))
  const workerCounts = process.env.BENCH_WORKERS
    ? [Number(process.env.BENCH_WORKERS)]
    : [1, availableParallelism()]
  const rows: Row[] = []
  for (const workers of workerCounts) rows.push(...(await runScenario(database.url, dataDir, workers)))
  console.log(`\nservice on PostgreSQL, ${clients} concurrent clients, ${seconds} s per row`)
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model}, Node ${process.version}`)
  console.log(
    `${'operation'.padEnd(36)} ${'ops'.padStart(7)} ${'ops/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`,
  )
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(36)} ${String(row.ops).padStart(7)} ${row.opsPerSecond.toFixed(0).padStart(8)} ${row.p50.toFixed(1).padStart(8)} ${row.p99.toFixed(1).padStart(8)}`,
    )
  }
} finally {
  await database.drop()
}
