/**
 * `cashu-mint import` refusing what it must not take, and writing nothing when it refuses: real
 * Nutshell 0.21 and cdk-mintd 0.18.3 databases (made by running those mints and a cashu-ts wallet),
 * (Nutshell's with a keyset its management RPC rotated in), then damaged, cut short, given a
 * schema version the importer does not know, or still in use; a
 * seed that is not the old mint's; a database that has been used. Nutshell on PostgreSQL is taken
 * over whole.
 */
import { randomBytes } from 'node:crypto'
import { copyFile, mkdtemp, open, stat, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { Wallet } from '@cashu/cashu-ts'
import { openStore } from '@cashu-mint/storage'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresDatabase } from '../../../packages/storage/test/databases.ts'
import { waitFor } from '../../../packages/storage/test/mint-fixture.ts'
import { runCashuMint } from './cashu-mint-cli.ts'
import { freePort } from './free-port.ts'
import { startCdkMintd } from './peers/cdk-mintd.ts'
import { type RunningNutshellMint, startNutshellMint } from './peers/nutshell-mint.ts'

const KEY = `import test ${randomBytes(16).toString('hex')}`
let folder: string
let nutshellDb: string
let cdkDb: string

/** A wallet's worth of use: a top-up, a send received back (spent proofs, signatures). */
async function use(url: string): Promise<void> {
  const wallet = new Wallet(url, { unit: 'sat' })
  await wallet.loadMint()
  const quote = await wallet.createMintQuoteBolt11(64)
  await waitFor(async () => (await wallet.checkMintQuoteBolt11(quote.quote)).state === 'PAID', 30_000)
  const proofs = await wallet.mintProofsBolt11(64, quote.quote)
  const { send } = await wallet.send(10, proofs, { includeFees: true })
  await wallet.receive({ mint: url, unit: 'sat', proofs: send })
}

/** A data folder for this mint with a seed (the old mint's, unless given another). */
async function mintFolder(seed = KEY): Promise<Record<string, string>> {
  const env = { CASHU_MINT_DATA_DIR: join(await mkdtemp(join(folder, 'mint-')), 'data') }
  const seedFile = join(folder, `seed-${randomBytes(4).toString('hex')}`)
  await writeFile(seedFile, seed, { mode: 0o600 })
  expect((await runCashuMint(['init', '--seed-from', seedFile], env)).code).toBe(0)
  return env
}

async function keysetsIn(env: Record<string, string>): Promise<number> {
  const store = await openStore({ url: join(env.CASHU_MINT_DATA_DIR as string, 'pglite') })
  try {
    return (await store.listKeysets()).length
  } finally {
    await store.close()
  }
}

/** A copy of the Nutshell database to spoil. */
async function copyOf(file: string): Promise<string> {
  const copy = join(await mkdtemp(join(folder, 'copy-')), 'mint.sqlite3')
  await copyFile(file, copy)
  return copy
}

const importFrom = (from: string, source: string, env: Record<string, string>, ...more: string[]) =>
  runCashuMint(['import', '--from', from, '--source', source, ...more], env)

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'import-test-'))
  const nutshellDir = await mkdtemp(join(folder, 'nutshell-'))
  const nutshell = await startNutshellMint({
    dir: nutshellDir,
    port: await freePort(),
    privateKey: KEY,
    inputFeePpk: 0,
  })
  await use(nutshell.url)
  // Its management RPC's rotation: a keyset whose id Nutshell makes with `|final_expiry:0`.
  await nutshell.rotate('sat', 50)
  await nutshell.kill()
  nutshellDb = nutshell.sqlite
  const cdkDir = await mkdtemp(join(folder, 'cdk-'))
  await writeFile(join(cdkDir, 'seed'), KEY, { mode: 0o600 })
  const cdk = await startCdkMintd({
    workDir: cdkDir,
    port: await freePort(),
    secret: { seed: join(cdkDir, 'seed') },
    inputFeePpk: 0,
  })
  await use(cdk.url)
  await cdk.kill()
  cdkDb = cdk.sqlite
}, 240_000)

describe('cashu-mint import refuses, and writes nothing', () => {
  it('a database cut short, or damaged', async () => {
    const env = await mintFolder()
    const short = await copyOf(nutshellDb)
    await truncate(short, Math.floor((await stat(short)).size / 2))
    const cut = await importFrom('nutshell', short, env)
    expect(cut.code).toBe(1)
    expect(cut.stderr).toMatch(/is damaged|not a readable SQLite database/)
    const damaged = await copyOf(nutshellDb)
    const file = await open(damaged, 'r+')
    // Pages in the middle overwritten: the header still says SQLite, the b-trees do not hold.
    await file.write(randomBytes(8192), 0, 8192, 8192)
    await file.close()
    expect((await importFrom('nutshell', damaged, env)).stderr).toMatch(
      /is damaged|not a readable SQLite database/,
    )
    expect((await importFrom('nutshell', join(folder, 'nothing.sqlite3'), env)).stderr).toContain(
      'cannot read',
    )
    expect(await keysetsIn(env)).toBe(0)
  })

  it('a seed that is not the old mint’s, naming the keyset', async () => {
    const env = await mintFolder('some other seed')
    const refused = await importFrom('nutshell', nutshellDb, env)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/keyset 01[0-9a-f]{64} does not derive from this seed/)
    expect(refused.stderr).toContain('cashu-mint init --seed-from')
    expect(await keysetsIn(env)).toBe(0)
  })

  it('a schema version it does not know, saying which it found', async () => {
    const env = await mintFolder()
    for (const [version, says] of [
      [40, 'Nutshell schema 40 is newer than this importer knows (39, Nutshell 0.21)'],
      [38, "Nutshell schema 38 is older than 0.21's (39): upgrade Nutshell to 0.21"],
    ] as const) {
      const copy = await copyOf(nutshellDb)
      const db = new DatabaseSync(copy)
      db.prepare(`update dbversions set version = ? where db = 'mint'`).run(version)
      db.close()
      expect((await importFrom('nutshell', copy, env)).stderr).toContain(says)
    }
    const newer = await copyOf(cdkDb)
    const db = new DatabaseSync(newer)
    db.prepare('insert into migrations (name) values (?)').run('20270101000000_from_the_future.sql')
    db.close()
    expect((await importFrom('cdk', newer, env)).stderr).toContain(
      'cdk-mintd schema is newer than this importer knows (cdk-mintd 0.18.3): it has 20270101000000_from_the_future.sql',
    )
    // The other kind's database is not mistaken for one.
    expect((await importFrom('cdk', nutshellDb, env)).stderr).toContain('no cdk-mintd mint here')
    expect(await keysetsIn(env)).toBe(0)
  })

  it('a database that has been used, unless told to merge; the same import again does nothing', async () => {
    const env = await mintFolder()
    expect((await importFrom('cdk', cdkDb, env)).stdout).toContain('imported: ')
    expect((await importFrom('cdk', cdkDb, env)).stdout).toContain('already imported')
    const used = await importFrom('nutshell', nutshellDb, env)
    expect(used.stderr).toContain('this database has keysets or activity already')
    // A second mint (of the same seed) beside the first: CDK's keyset and Nutshell's two.
    const merged = await importFrom('nutshell', nutshellDb, env, '--merge')
    expect(merged.code, merged.stderr).toBe(0)
    expect(await keysetsIn(env)).toBe(3)
  })
})

describe('a Nutshell mint on PostgreSQL', () => {
  let database: { url: string; drop: () => Promise<void> }
  let nutshell: RunningNutshellMint

  beforeAll(async () => {
    database = await createPostgresDatabase()
    nutshell = await startNutshellMint({
      dir: await mkdtemp(join(folder, 'nutshell-pg-')),
      port: await freePort(),
      privateKey: KEY,
      database: database.url,
      inputFeePpk: 100,
    })
    await use(nutshell.url)
  }, 120_000)
  afterAll(async () => {
    await nutshell?.kill()
    await database?.drop()
  })

  it('is refused while the old mint is connected, then taken over once it stopped', async () => {
    const env = await mintFolder()
    const busy = await importFrom('nutshell', database.url, env)
    expect(busy.stderr).toMatch(/the old mint is still running \(\d+ other connection\(s\) to /)
    expect(busy.stderr).not.toContain('mint:mint@')
    await nutshell.kill()
    const imported = await importFrom('nutshell', database.url, env, '--json')
    expect(imported.code, imported.stderr).toBe(0)
    const report = JSON.parse(imported.stdout) as {
      outcome: { status: string; counts: Record<string, number> }
      keysets: { outstandingBefore: number; outstandingAfter: number }[]
    }
    expect(report.outcome.status).toBe('imported')
    expect(report.outcome.counts.blind_signatures).toBeGreaterThan(0)
    expect(report.keysets[0]?.outstandingAfter).toBe(report.keysets[0]?.outstandingBefore)
  })
})
