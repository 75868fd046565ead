/**
 * A PostgreSQL server of a test's own, to crash and restart without disturbing the shared one
 * (scripts/postgres.sh): initdb into a throwaway folder, `pg_ctl start` on a free port, and
 * `crash()` as `pg_ctl stop -m immediate`, which kills every server process without a checkpoint,
 * so the next start runs crash recovery. As root (CI), the server runs as the `postgres` user.
 */
import { execFile } from 'node:child_process'
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './free-port.ts'

const run = promisify(execFile)

async function binDir(): Promise<string> {
  const versions = await readdir('/usr/lib/postgresql').catch(() => [])
  const newest = versions.sort((a, b) => Number(a) - Number(b)).at(-1)
  if (!newest)
    throw new Error('PostgreSQL is required (/usr/lib/postgresql/<version>/bin): run scripts/postgres.sh')
  return `/usr/lib/postgresql/${newest}/bin`
}

export interface PrivatePostgres {
  /** postgres://mint@127.0.0.1:PORT/postgres (trust authentication on loopback). */
  url: string
  crash(): Promise<void>
  start(): Promise<void>
  destroy(): Promise<void>
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = await binDir()
  const folder = await mkdtemp(join(tmpdir(), 'private-pg-'))
  const data = join(folder, 'data')
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const { stdout: group } = await run('id', ['-g', 'postgres'])
    await chown(folder, Number(stdout), Number(group))
  }
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args)
  await pg('initdb', ['-D', data, '-U', 'mint', '--auth=trust', '-E', 'UTF8', '--locale=C'])
  const port = await freePort()
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off`
  const start = async () => {
    await pg('pg_ctl', ['-D', data, '-o', options, '-l', join(folder, 'log'), '-w', '-t', '60', 'start'])
  }
  await start()
  return {
    url: `postgres://mint@127.0.0.1:${port}/postgres`,
    crash: async () => {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
    },
    start,
    destroy: async () => {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined)
      await rm(folder, { recursive: true, force: true })
    },
  }
}
