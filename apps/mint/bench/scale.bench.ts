/**
 * Flat to 10M spent proofs: `pnpm bench:scale`. This mint runs on one PostgreSQL database while the
 * benchmark fills it with spent proofs and their blind signatures through the store's recordSpend
 * (the statement every swap runs), BENCH_SCALE_BATCH rows a call. At each level of
 * BENCH_SCALE_LEVELS (default 10k, 1M, 10M spent proofs) it checkpoints, then measures a swap load
 * (16 clients, BENCH_SECONDS s) twice, with checkstate of 100 spent Ys and restore of 100 signed
 * outputs (200 requests each, one at a time) between the two, and the sizes of both tables and
 * their indexes, with the WAL and the checkpoints each window took; it prints one table and,
 * with BENCH_WRITE=1, puts it into docs/benchmarks.md. The filler rows carry random hex where
 * points would be (the store does not check them); the rows the requests ask for are real points.
 */
import { randomBytes } from 'node:crypto'
import { cpus } from 'node:os'
import { bytesToHex, compressPoint, defaultCurveBackend, hashToCurve } from '@cashu-mint/core/crypto'
import type { ProofRecord, SignatureRecord } from '@cashu-mint/core/mint'
import { stringifyJson } from '@cashu-mint/core/protocol'
import { openStore } from '@cashu-mint/storage'
import postgres from 'postgres'
import { createPostgresDatabase } from '../../../packages/storage/test/databases.ts'
import { percentile, writeBenchmarkSection } from './load/figures.ts'
import { measureSwaps } from './load/measure-swaps.ts'
import { thisMint } from './load/mints.ts'

const levels = (process.env.BENCH_SCALE_LEVELS ?? '10000,1000000,10000000').split(',').map(Number)
const batch = Number(process.env.BENCH_SCALE_BATCH ?? 5000)
const seconds = Number(process.env.BENCH_SECONDS ?? 15)
const curve = defaultCurveBackend()
const hex = (bytes: number) => randomBytes(bytes).toString('hex')
const point = () => bytesToHex(compressPoint(curve.multiplyBase(randomBytes(32))))

const database = await createPostgresDatabase()
const mint = await thisMint('this mint, PostgreSQL, 1 worker', 'postgres', 1, database.url).start()
const store = await openStore({ url: database.url, maxConnections: 4 })
const sql = postgres(database.url, { max: 1, onnotice: () => undefined })
const keysetId = (await store.listKeysets()).find((k) => k.active && k.unit === 'sat')?.id as string
// PostgreSQL's own CPU per swap depends on whether the indexes fit in its buffers, and on how often
// it checkpoints: report both settings.
const [
  { shared_buffers: sharedBuffers, max_wal_size: maxWalSize } = { shared_buffers: '?', max_wal_size: '?' },
] = await sql<{ shared_buffers: string; max_wal_size: string }[]>`
    select current_setting('shared_buffers') as shared_buffers, current_setting('max_wal_size') as max_wal_size`

/**
 * One spend of `size` proofs and as many signatures. `real`: Y is hash_to_curve of the secret and
 * the other points are k·G, as the requests that read them back need; else random hex, which the
 * store does not check, for the filler.
 */
function spendBatch(size: number, real: boolean): [ProofRecord[], SignatureRecord[]] {
  const operationId = hex(16)
  const pointOr = (prefix: string) => (real ? point() : `${prefix}${hex(32)}`)
  const proofs: ProofRecord[] = []
  const signatures: SignatureRecord[] = []
  for (let i = 0; i < size; i++) {
    const secret = hex(32)
    const amount = 1n << BigInt(i % 8)
    const y = real
      ? bytesToHex(compressPoint(hashToCurve(curve, new TextEncoder().encode(secret))))
      : pointOr('02')
    proofs.push({ y, keysetId, amount, secret, C: pointOr('03'), witness: null, state: 'SPENT', operationId })
    signatures.push({
      B_: pointOr('02'),
      keysetId,
      amount,
      C_: pointOr('03'),
      dleqE: hex(32),
      dleqS: hex(32),
      operationId,
    })
  }
  return [proofs, signatures]
}

/** The rows the checkstate and restore requests ask for: real points, spent through the store too. */
async function recordAsked(): Promise<{
  ys: string[]
  outputs: { amount: bigint; id: string; B_: string }[]
}> {
  const [proofs, signatures] = spendBatch(100, true)
  await store.recordSpend(proofs, signatures)
  return {
    ys: proofs.map((p) => p.y),
    outputs: signatures.map((s) => ({ amount: s.amount, id: keysetId, B_: s.B_ })),
  }
}

async function fillTo(target: number, spent: number): Promise<number> {
  let count = spent
  const started = performance.now()
  while (count < target) {
    // Two calls at once, as two clients would: the store is used the way the mint uses it.
    const first = Math.min(batch, target - count)
    const second = Math.min(batch, target - count - first)
    await Promise.all(
      [first, second].filter((n) => n > 0).map((n) => store.recordSpend(...spendBatch(n, false))),
    )
    count += first + second
    if (count % 500_000 < 2 * batch) {
      const rate = (count - spent) / ((performance.now() - started) / 1000)
      console.error(`  ${count.toLocaleString()} spent proofs (${rate.toFixed(0)} rows/s)`)
    }
  }
  return count
}

async function timed(path: string, body: unknown, times: number): Promise<{ p50: number; p99: number }> {
  const latencies: number[] = []
  for (let i = 0; i < times; i++) {
    const t0 = performance.now()
    const response = await fetch(`${mint.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stringifyJson(body),
    })
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
    await response.arrayBuffer()
    latencies.push(performance.now() - t0)
  }
  latencies.sort((a, b) => a - b)
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) }
}

/**
 * WAL and checkpoints so far, server-wide. A B-tree insert into a page not touched since the last
 * checkpoint logs the whole 8 kB page: with random keys, the larger the index, the more inserts do,
 * and the more WAL, the sooner max_wal_size asks for the next checkpoint. Read around measureSwaps,
 * so the figures per swap also carry the load generator's 16 top-ups before it.
 */
async function walTotals(): Promise<{ bytes: number; fpi: number; checkpoints: number }> {
  const [row] = await sql<{ bytes: string; fpi: string; checkpoints: string }[]>`
    select wal_bytes as bytes, wal_fpi as fpi,
           (select checkpoints_timed + checkpoints_req from pg_stat_bgwriter) as checkpoints
    from pg_stat_wal`
  return { bytes: Number(row?.bytes), fpi: Number(row?.fpi), checkpoints: Number(row?.checkpoints) }
}

async function sizes(): Promise<string> {
  const [row] = await sql<{ proofs: string; proofs_idx: string; sigs: string; sigs_idx: string }[]>`
    select pg_relation_size('proofs') as proofs, pg_indexes_size('proofs') as proofs_idx,
           pg_relation_size('blind_signatures') as sigs, pg_indexes_size('blind_signatures') as sigs_idx`
  const mb = (bytes: string | undefined) => `${Math.round(Number(bytes) / 2 ** 20).toLocaleString()}`
  return `${mb(row?.proofs)} / ${mb(row?.proofs_idx)} | ${mb(row?.sigs)} / ${mb(row?.sigs_idx)}`
}

const f = (n: number, digits = 1) => n.toFixed(digits)
const latency = (t?: { p50: number; p99: number }) => (t ? `${f(t.p50)} / ${f(t.p99)}` : '')
const rows: string[] = []
let spent = 0
try {
  // A first load, not recorded: the first level would otherwise measure a cold process (JIT, pools).
  await measureSwaps(mint, 16, 5)
  for (const level of levels) {
    const asked = await recordAsked()
    spent = await fillTo(level, spent + 100)
    await sql`vacuum analyze proofs`
    await sql`vacuum analyze blind_signatures`
    // The fill's dirty pages written out now, not by the checkpointer while the swaps are measured.
    // Two windows follow: the first pays for the checkpoint (full-page images), the second shows
    // whether that cost passes as the load goes on or comes back with every checkpoint.
    await sql`checkpoint`
    for (const window of ['after checkpoint', 'next window']) {
      const walBefore = await walTotals()
      const swaps = await measureSwaps(mint, 16, seconds)
      const walAfter = await walTotals()
      const perSwap = (key: 'bytes' | 'fpi') => (walAfter[key] - walBefore[key]) / swaps.swaps
      // Once a level: they read what is there, and do not write.
      const first = window === 'after checkpoint'
      const checkstate = first ? await timed('/v1/checkstate', { Ys: asked.ys }, 200) : undefined
      const restore = first ? await timed('/v1/restore', { outputs: asked.outputs }, 200) : undefined
      const row = `| ${level.toLocaleString()} | ${window} | ${f(swaps.perSecond, 0)} | ${f(swaps.p50)} | ${f(swaps.p99)} | ${f(swaps.cpuPerSwap, 2)} | ${f(swaps.pgCpuPerSwap ?? 0, 2)} | ${f(perSwap('bytes') / 1024)} / ${f(perSwap('fpi'))} | ${walAfter.checkpoints - walBefore.checkpoints} | ${latency(checkstate)} | ${latency(restore)} | ${await sizes()} |`
      console.error(row)
      rows.push(row)
    }
  }
} finally {
  await mint.stop()
  await store.close()
  await sql.end()
  await database.drop()
}

const table = [
  `Swap load: 16 clients, ${seconds} s; checkstate and restore: 100 items a request, 200 requests one at a time. PostgreSQL's shared_buffers ${sharedBuffers}, max_wal_size ${maxWalSize}. ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}. Command: \`pnpm bench:scale\`.`,
  '',
  '| spent proofs | window | swaps/s | p50 ms | p99 ms | CPU/swap ms | PostgreSQL CPU/swap ms | WAL per swap: kB / full-page images | checkpoints in the window | checkstate p50 / p99 ms | restore p50 / p99 ms | proofs table / indexes MB | signatures table / indexes MB |',
  '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
].join('\n')
console.log(table)

if (process.env.BENCH_WRITE === '1') writeBenchmarkSection('scale', 'pnpm bench:scale', table)
