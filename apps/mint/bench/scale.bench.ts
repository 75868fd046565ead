/**
 * Flat to 10M spent proofs: `pnpm bench:scale`. This mint runs on one PostgreSQL database while the
 * benchmark fills it with spent proofs and their blind signatures through the store's recordSpend
 * (the statement every swap runs), BENCH_SCALE_BATCH rows a call. At each level of
 * BENCH_SCALE_LEVELS (default 10k, 1M, 10M spent proofs) it checkpoints, then measures a swap load
 * (16 clients, BENCH_SECONDS s) twice, with checkstate and restore between the two (100 requests
 * each, one at a time, each for 100 rows no request before it read, so that none is answered from
 * pages the one before brought in), and the sizes of both tables and their indexes, with the WAL
 * and the checkpoints each window took. Every kind of request is warmed up first, on rows that are
 * then removed. It prints one table and,
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
import { postmasterPid, treeCpuNs } from './load/process-tree.ts'

const levels = (process.env.BENCH_SCALE_LEVELS ?? '10000,1000000,10000000').split(',').map(Number)
const batch = Number(process.env.BENCH_SCALE_BATCH ?? 5000)
const seconds = Number(process.env.BENCH_SECONDS ?? 15)
const curve = defaultCurveBackend()
const hex = (bytes: number) => randomBytes(bytes).toString('hex')
const point = () => bytesToHex(compressPoint(curve.multiplyBase(randomBytes(32))))

const database = await createPostgresDatabase()
const mint = await thisMint('this mint, PostgreSQL, 1 worker', 'postgres', 1, {
  databaseUrl: database.url,
}).start()
const store = await openStore({ url: database.url, maxConnections: 4 })
const sql = postgres(database.url, { max: 1, onnotice: () => undefined })
const keysetId = (await store.listKeysets()).find((k) => k.active && k.unit === 'sat')?.id as string
// PostgreSQL's own CPU per swap depends on whether the indexes fit in its buffers, and on how often
// it checkpoints: report those settings.
const [settings] = await sql<{ shared_buffers: string; max_wal_size: string; checkpoint_timeout: string }[]>`
    select current_setting('shared_buffers') as shared_buffers, current_setting('max_wal_size') as max_wal_size,
           current_setting('checkpoint_timeout') as checkpoint_timeout`

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

const READ_REQUESTS = 100
const ROWS_PER_READ = 100

interface ReadSet {
  ys: string[]
  outputs: { amount: bigint; id: string; B_: string }[]
}

/**
 * The rows the checkstate and restore requests ask for: real points, spent through the store too,
 * one set of ROWS_PER_READ for each request. Their keys are random, so they sit all over the
 * indexes however the filler's rows come after them.
 */
async function recordReadSets(): Promise<ReadSet[]> {
  const sets: ReadSet[] = []
  for (let i = 0; i < READ_REQUESTS; i++) {
    const [proofs, signatures] = spendBatch(ROWS_PER_READ, true)
    await store.recordSpend(proofs, signatures)
    sets.push({
      ys: proofs.map((p) => p.y),
      outputs: signatures.map((s) => ({ amount: s.amount, id: keysetId, B_: s.B_ })),
    })
  }
  return sets
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

interface ReadFigures {
  p50: number
  max: number
  /** The mint's and PostgreSQL's CPU per request, ms. */
  cpu: number
  pgCpu: number
}

/** One request a body, one at a time, with the mint's and PostgreSQL's CPU over all of them. */
async function timed(path: string, bodies: readonly unknown[]): Promise<ReadFigures> {
  const latencies: number[] = []
  const pg = postmasterPid()
  const mintBefore = treeCpuNs(mint.pid)
  const pgBefore = treeCpuNs(pg)
  for (const body of bodies) {
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
  const cpu = (treeCpuNs(mint.pid) - mintBefore) / 1e6 / bodies.length
  const pgCpu = (treeCpuNs(pg) - pgBefore) / 1e6 / bodies.length
  latencies.sort((a, b) => a - b)
  return { p50: percentile(latencies, 0.5), max: latencies.at(-1) ?? 0, cpu, pgCpu }
}

/** Checkstate, then restore, each once for every set. */
async function measureReads(
  sets: readonly ReadSet[],
): Promise<{ checkstate: ReadFigures; restore: ReadFigures }> {
  const checkstate = await timed(
    '/v1/checkstate',
    sets.map((set) => ({ Ys: set.ys })),
  )
  const restore = await timed(
    '/v1/restore',
    sets.map((set) => ({ outputs: set.outputs })),
  )
  return { checkstate, restore }
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
const reads = (t?: ReadFigures) =>
  t ? `${f(t.p50)} / ${f(t.max)} | ${f(t.cpu, 2)} / ${f(t.pgCpu, 2)}` : ' | '
const rows: string[] = []
try {
  // A first load of each kind, not recorded: the first level would otherwise measure a cold process
  // (JIT, pools). Without the reads, checkstate's CPU fell by a third from the first level to the
  // second in a run where its PostgreSQL CPU rose.
  await measureSwaps(mint, 16, 10)
  const warmUp = await recordReadSets()
  await measureReads(warmUp)
  // The warm-up's rows go, so that the first level holds what it says.
  await sql`truncate proofs, blind_signatures`
  for (const level of levels) {
    const asked = await recordReadSets()
    // Counted, as the swaps measured at the level before spent proofs too.
    const [{ count } = { count: '0' }] = await sql<{ count: string }[]>`select count(*) from proofs`
    const held = await fillTo(level, Number(count))
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
      const { checkstate, restore } = first ? await measureReads(asked) : {}
      const row = `| ${held.toLocaleString()} | ${window} | ${f(swaps.perSecond, 0)} | ${f(swaps.p50)} | ${f(swaps.p99)} | ${f(swaps.cpuPerSwap, 2)} | ${f(swaps.pgCpuPerSwap ?? 0, 2)} | ${f(perSwap('bytes') / 1024)} / ${f(perSwap('fpi'))} | ${walAfter.checkpoints - walBefore.checkpoints} | ${reads(checkstate)} | ${reads(restore)} | ${await sizes()} |`
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
  `Swap load: 16 clients, ${seconds} s; checkstate and restore: ${READ_REQUESTS} requests one at a time, each for ${ROWS_PER_READ} rows no request before it read; CPU per request. PostgreSQL's shared_buffers ${settings?.shared_buffers}, max_wal_size ${settings?.max_wal_size}, checkpoint_timeout ${settings?.checkpoint_timeout}. ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}. Command: \`pnpm bench:scale\`.`,
  '',
  '| spent proofs | window | swaps/s | p50 ms | p99 ms | CPU/swap ms | PostgreSQL CPU/swap ms | WAL per swap: kB / full-page images | checkpoints in the window | checkstate p50 / max ms | checkstate CPU: mint / PostgreSQL ms | restore p50 / max ms | restore CPU: mint / PostgreSQL ms | proofs table / indexes MB | signatures table / indexes MB |',
  '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
].join('\n')
console.log(table)

if (process.env.BENCH_WRITE === '1') writeBenchmarkSection('scale', 'pnpm bench:scale', table)
