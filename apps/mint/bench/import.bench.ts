/**
 * Taking over a large mint: `pnpm bench:import`. A Nutshell 0.21 mint runs on a PostgreSQL database
 * and a cashu-ts wallet uses it (a top-up, a swap), then the mint stops and the benchmark adds
 * BENCH_PROOFS (default 1M) spent proofs to its `proofs_used`, lowering its keyset's `balance` by
 * their sum so its books still agree with its rows. `cashu-mint import` (the CLI on the sources, as
 * an operator runs it) then takes it over into a new PostgreSQL database. Prints the rows, the time,
 * rows a second and the import process's peak RSS; BENCH_WRITE=1 puts them into docs/benchmarks.md.
 * The filler rows carry random hex where points would be (the importer does not check spent proofs'
 * points; it re-signs every blind signature).
 */
import { spawn } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { Wallet } from '@cashu/cashu-ts'
import postgres from 'postgres'
import { createPostgresDatabase } from '../../../packages/storage/test/databases.ts'
import { waitFor } from '../../../packages/storage/test/mint-fixture.ts'
import { runCashuMint } from '../test/cashu-mint-cli.ts'
import { freePort } from '../test/free-port.ts'
import { startNutshellMint } from '../test/peers/nutshell-mint.ts'
import { SOURCES } from '../test/regtest/mint-process.ts'
import { writeBenchmarkSection } from './load/figures.ts'
import { meterTree } from './load/process-tree.ts'

const proofs = Number(process.env.BENCH_PROOFS ?? 1_000_000)
const KEY = 'bench import seed'

const source = await createPostgresDatabase()
const target = await createPostgresDatabase()
const dir = await mkdtemp(join(tmpdir(), 'bench-import-'))
try {
  const nutshell = await startNutshellMint({
    dir,
    port: await freePort(),
    privateKey: KEY,
    database: source.url,
    inputFeePpk: 0,
  })
  const wallet = new Wallet(nutshell.url, { unit: 'sat' })
  await wallet.loadMint()
  const quote = await wallet.createMintQuoteBolt11(1000)
  await waitFor(async () => (await wallet.checkMintQuoteBolt11(quote.quote)).state === 'PAID', 30_000)
  const minted = await wallet.mintProofsBolt11(1000, quote.quote)
  await wallet.send(100, minted)
  await nutshell.kill()

  const sql = postgres(source.url, { max: 1, onnotice: () => undefined })
  const [keyset] = await sql`select id from keysets where active and unit = 'sat'`
  await sql`insert into proofs_used (amount, id, c, secret, y, witness, created)
    select 1, ${keyset?.id}, '02' || md5('c' || i) || md5('C' || i), md5('s' || i) || md5('S' || i),
      '03' || md5('y' || i) || md5('Y' || i), null, now()
    from generate_series(1, ${proofs}) i`
  await sql`update keysets set balance = balance - ${proofs} where id = ${keyset?.id}`
  await sql`analyze`
  await sql.end()

  const env = { CASHU_MINT_DATA_DIR: join(dir, 'data'), DATABASE_URL: target.url }
  await writeFile(join(dir, 'seed-file'), KEY, { mode: 0o600 })
  await runCashuMint(['init', '--seed-from', join(dir, 'seed-file')], env)
  await runCashuMint(['migrate'], env)
  const started = performance.now()
  const child = spawn(
    process.execPath,
    [
      SOURCES,
      join(import.meta.dirname, '../src/cli/cli.ts'),
      'import',
      '--from',
      'nutshell',
      '--source',
      source.url,
      '--json',
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const meter = meterTree(child.pid as number)
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  const seconds = (performance.now() - started) / 1000
  meter.stop()
  if (code !== 0) throw new Error(`the import failed (${code}): ${output}`)
  const counts = (JSON.parse(output) as { outcome: { counts: Record<string, number> } }).outcome.counts
  const rows = Object.values(counts).reduce((sum, n) => sum + n, 0)
  const table = [
    `${cpus().length} vCPU ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL 15 for both databases.`,
    '',
    '| source | rows | of them spent proofs | time | rows/s | peak RSS of the import |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| Nutshell 0.21, PostgreSQL | ${rows.toLocaleString('en')} | ${(counts.proofs ?? 0).toLocaleString('en')} | ${seconds.toFixed(1)} s | ${Math.round(rows / seconds).toLocaleString('en')} | ${Math.round(meter.peakRss() / 2 ** 20)} MB |`,
  ].join('\n')
  console.log(table)
  if (process.env.BENCH_WRITE === '1') writeBenchmarkSection('import', 'pnpm bench:import', table)
} finally {
  await source.drop()
  await target.drop()
}
