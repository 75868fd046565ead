/**
 * The mints the efficiency benchmark loads, started as their operators start them, each on a free
 * port with fresh data and a FakeWallet that pays at once: this mint (the built JavaScript, as
 * scripts/start.sh runs it) on PostgreSQL with one worker or one per core, or on PGlite;
 * cdk-mintd 0.18.3 (built by scripts/cdk-mintd.sh into .tools) on SQLite or PostgreSQL; and
 * Nutshell 0.21.0's mint (the venv scripts/nutshell.sh installs into .tools) on SQLite or PostgreSQL.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { createPostgresDatabase } from '../../../../packages/storage/test/databases.ts'
import { freePort } from '../../test/free-port.ts'
import { cdkMintdEnv, configureCdkMintd } from '../../test/peers/cdk-mintd.ts'
import { nutshellMintEnv } from '../../test/peers/nutshell-mint.ts'

const root = join(import.meta.dirname, '../../../..')

export interface RunningMint {
  url: string
  pid: number
  /** Whether its database is the shared PostgreSQL server (whose CPU is then reported apart). */
  postgres: boolean
  /** Other processes that are part of it (a signer of its own), metered with it. */
  companions?: number[]
  stop(): Promise<void>
}

export interface MintUnderTest {
  name: string
  start(): Promise<RunningMint>
}

async function whenServing(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the mint at ${url} exited (${child.exitCode})`)
    try {
      if ((await fetch(`${url}/v1/keysets`)).ok) return
    } catch {}
    await sleep(100)
  }
  throw new Error(`the mint at ${url} did not start`)
}

/**
 * A started mint once it answers, stopped with SIGTERM, its throwaway database dropped and its
 * folder (`dir`: configuration, keys, PGlite or SQLite data; tens of MB a run) removed after.
 */
async function serving(
  child: ChildProcess,
  port: number,
  db: { drop(): Promise<void> } | undefined,
  dir: string,
): Promise<RunningMint> {
  const url = `http://127.0.0.1:${port}`
  await whenServing(url, child)
  return {
    url,
    pid: child.pid as number,
    postgres: db !== undefined,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      await db?.drop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** The node flags scripts/start.sh runs the mint with, so the benchmark measures what operators run. */
function startFlags(): string {
  const line = readFileSync(join(root, 'scripts/start.sh'), 'utf8').match(
    /^exec node (.*) apps\/mint\/dist\/main\.js$/m,
  )
  if (!line?.[1]) throw new Error('scripts/start.sh has no "exec node ... apps/mint/dist/main.js" line')
  return line[1]
}

/**
 * This mint; `databaseUrl` runs it on an existing PostgreSQL database instead of a fresh one, `env`
 * adds to its configuration.
 */
export function thisMint(
  name: string,
  database: 'postgres' | 'pglite',
  workers: number,
  options: { databaseUrl?: string; env?: Record<string, string> } = {},
): MintUnderTest {
  const { databaseUrl } = options
  return {
    name,
    async start() {
      const port = await freePort()
      const dataDir = await mkdtemp(join(tmpdir(), 'bench-mint-'))
      const db =
        database === 'pglite'
          ? undefined
          : databaseUrl
            ? { url: databaseUrl, drop: async () => undefined }
            : await createPostgresDatabase()
      // BENCH_MINT_MAIN: another build to compare (a checkout's apps/mint/dist/main.js); BENCH_NODE_ARGS:
      // flags for it instead of scripts/start.sh's, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile.
      const main = process.env.BENCH_MINT_MAIN ?? join(root, 'apps/mint/dist/main.js')
      const flags = (process.env.BENCH_NODE_ARGS ?? startFlags()).split(' ').filter(Boolean)
      const child = spawn(process.execPath, [...flags, main], {
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          CASHU_MINT_PORT: String(port),
          CASHU_MINT_ADMIN_PORT: '0',
          CASHU_MINT_DATA_DIR: dataDir,
          CASHU_MINT_WORKERS: String(workers),
          CASHU_MINT_FAKE_DELAY_MS: '0',
          CASHU_MINT_RATE_LIMIT_PER_MINUTE: '0',
          ...(db ? { DATABASE_URL: db.url } : {}),
          ...options.env,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      })
      return serving(child, port, db, dataDir)
    },
  }
}

/** cdk-mintd's binary, built once into .tools (not part of CI). */
export function cdkMintd(): string | undefined {
  try {
    return (
      execFileSync('bash', [join(root, 'scripts/cdk-mintd.sh'), '--if-built', '--release'], {
        encoding: 'utf8',
      }).trim() || undefined
    )
  } catch {
    return undefined
  }
}

const MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about'

function cdk(name: string, engine: 'sqlite' | 'postgres'): MintUnderTest {
  return {
    name,
    async start() {
      const binary = cdkMintd()
      if (!binary) throw new Error('cdk-mintd is not built: bash scripts/cdk-mintd.sh --release')
      const port = await freePort()
      const workDir = await mkdtemp(join(tmpdir(), 'bench-cdk-'))
      const db = engine === 'postgres' ? await createPostgresDatabase() : undefined
      const options = {
        workDir,
        port,
        secret: { mnemonic: join(workDir, 'mnemonic') },
        ...(db ? { database: db.url } : {}),
        inputFeePpk: 0,
      }
      await writeFile(join(workDir, 'mnemonic'), MNEMONIC)
      await configureCdkMintd(binary, options, 'init')
      const env = cdkMintdEnv(db?.url)
      const child = spawn(binary, ['--work-dir', workDir], { stdio: ['ignore', 'ignore', 'ignore'], env })
      return serving(child, port, db, workDir)
    },
  }
}

/** Nutshell's `mint` command, from the venv scripts/nutshell.sh installs once into .tools (not part of CI). */
export function nutshellMint(): string | undefined {
  try {
    const cashu = execFileSync('bash', [join(root, 'scripts/nutshell.sh'), '--if-installed'], {
      encoding: 'utf8',
    }).trim()
    return cashu ? join(dirname(cashu), 'mint') : undefined
  } catch {
    return undefined
  }
}

/**
 * Nutshell as its README starts it: `mint` with settings from the environment. Its defaults are
 * changed only where the other mints here differ: no input fee (a 1-sat proof could not pay one), no
 * rate limit, a FakeWallet that pays at once. HOME and the working folder are the throwaway folder:
 * Nutshell reads a `.env` from either over the environment, and keeps a second database under the
 * working folder.
 */
function nutshell(name: string, engine: 'sqlite' | 'postgres'): MintUnderTest {
  return {
    name,
    async start() {
      const binary = nutshellMint()
      if (!binary) throw new Error('Nutshell is not installed: bash scripts/nutshell.sh')
      const port = await freePort()
      const workDir = await mkdtemp(join(tmpdir(), 'bench-nutshell-'))
      const db = engine === 'postgres' ? await createPostgresDatabase() : undefined
      const child = spawn(binary, [], {
        cwd: workDir,
        stdio: ['ignore', 'ignore', 'ignore'],
        env: {
          ...process.env,
          ...nutshellMintEnv({
            dir: workDir,
            port,
            privateKey: MNEMONIC,
            ...(db ? { database: db.url } : {}),
            inputFeePpk: 0,
          }),
        },
      })
      return serving(child, port, db, workDir)
    },
  }
}

export const MINTS: readonly MintUnderTest[] = [
  thisMint('this mint, PostgreSQL, 1 worker', 'postgres', 1),
  thisMint(`this mint, PostgreSQL, ${availableParallelism()} workers`, 'postgres', availableParallelism()),
  thisMint('this mint, PGlite', 'pglite', 1),
  cdk('cdk-mintd 0.18.3, SQLite', 'sqlite'),
  cdk('cdk-mintd 0.18.3, PostgreSQL', 'postgres'),
  nutshell('Nutshell 0.21.0, SQLite', 'sqlite'),
  nutshell('Nutshell 0.21.0, PostgreSQL', 'postgres'),
]
