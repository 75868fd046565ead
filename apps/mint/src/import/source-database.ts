/**
 * The database of a mint being taken over, read-only: a SQLite file (Node's `node:sqlite`) or a
 * PostgreSQL URL (postgres.js). Everything is read inside one snapshot (SQLite's read transaction,
 * PostgreSQL's REPEATABLE READ), so the rows agree with each other; large tables come in batches.
 * Opening refuses what cannot be read whole: a file that is not SQLite, a damaged one (`quick_check`),
 * an unreachable server.
 */
import { readdirSync, readlinkSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import postgres from 'postgres'

export type Row = Record<string, unknown>

export interface SourceReader {
  engine: 'sqlite' | 'postgres'
  /** Every row of a query. */
  all(query: string): Promise<Row[]>
  /** The rows of a query in batches of up to `size`. */
  batches(query: string, size: number): AsyncIterable<Row[]>
  /** An integer column as Unix seconds: SQLite stores them so, PostgreSQL as a timestamp. */
  epoch(column: string): string
}

export interface SourceDatabase {
  /** Where it is, for messages: a file, or host/database (never credentials). */
  where: string
  /** Runs `work` on one snapshot of the database. */
  snapshot<T>(work: (reader: SourceReader) => Promise<T>): Promise<T>
  /** Who else has it open (the old mint still running), or undefined. */
  otherUsers(): Promise<string | undefined>
  close(): Promise<void>
}

export class SourceError extends Error {}

const isPostgresUrl = (source: string) => /^postgres(ql)?:\/\//.test(source)

/** Processes other than this one holding the file (or its WAL) open, from /proc (Linux). */
function processesHolding(path: string): string[] {
  const targets = new Set([path, `${path}-wal`])
  const holders: string[] = []
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
  } catch {
    return holders
  }
  for (const pid of pids) {
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      let target: string
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`)
      } catch {
        continue
      }
      if (targets.has(target)) {
        holders.push(pid)
        break
      }
    }
  }
  return holders
}

async function openSqlite(file: string): Promise<SourceDatabase> {
  const path = resolve(file)
  try {
    if (!statSync(path).isFile()) throw new SourceError(`${path} is not a file`)
  } catch (error) {
    if (error instanceof SourceError) throw error
    throw new SourceError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`)
  }
  const { DatabaseSync } = await import('node:sqlite')
  let db: InstanceType<typeof DatabaseSync>
  try {
    db = new DatabaseSync(path, { readOnly: true })
    const [check] = db.prepare('PRAGMA quick_check').all() as Row[]
    const verdict = String(Object.values(check ?? {})[0] ?? '')
    if (verdict !== 'ok') throw new SourceError(`${path} is damaged (SQLite quick_check: ${verdict})`)
  } catch (error) {
    if (error instanceof SourceError) throw error
    throw new SourceError(`${path} is not a readable SQLite database (${(error as Error).message})`)
  }
  const run = (query: string) => {
    const statement = db.prepare(query)
    statement.setReadBigInts(true)
    return statement
  }
  const reader: SourceReader = {
    engine: 'sqlite',
    all: async (query) => run(query).all() as Row[],
    async *batches(query, size) {
      let batch: Row[] = []
      for (const row of run(query).iterate() as Iterable<Row>) {
        batch.push(row)
        if (batch.length >= size) {
          yield batch
          batch = []
        }
      }
      if (batch.length > 0) yield batch
    },
    epoch: (column) => column,
  }
  return {
    where: path,
    async snapshot(work) {
      // A read transaction: its first read fixes what every later one sees (WAL mode).
      db.exec('BEGIN')
      try {
        return await work(reader)
      } finally {
        db.exec('COMMIT')
      }
    },
    async otherUsers() {
      const holders = processesHolding(path)
      return holders.length > 0 ? `process ${holders.join(', ')} has ${path} open` : undefined
    },
    close: async () => db.close(),
  }
}

/** How the importer's own connections are named, so it does not count them as the old mint's. */
const IMPORTER = 'cashu-mint import'

async function openPostgres(url: string): Promise<SourceDatabase> {
  const parsed = new URL(url)
  const where = `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`
  const sql = postgres(url, {
    max: 2,
    onnotice: () => undefined,
    connect_timeout: 10,
    types: { bigint: postgres.BigInt },
    connection: { application_name: IMPORTER },
  })
  try {
    await sql`select 1`
  } catch (error) {
    await sql.end()
    throw new SourceError(`cannot read the PostgreSQL database at ${where}: ${(error as Error).message}`)
  }
  return {
    where,
    snapshot: (work) =>
      sql.begin('isolation level repeatable read read only', (tx) =>
        work({
          engine: 'postgres',
          all: async (query) => [...(await tx.unsafe(query))] as Row[],
          async *batches(query, size) {
            for await (const rows of tx.unsafe(query).cursor(size)) yield rows as Row[]
          },
          epoch: (column) => `cast(extract(epoch from ${column}) as bigint)`,
        }),
      ) as Promise<Awaited<ReturnType<typeof work>>>,
    async otherUsers() {
      const [row] = await sql`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and application_name <> ${IMPORTER}
          and backend_type = 'client backend'`
      const others = Number(row?.n ?? 0)
      return others > 0 ? `${others} other connection(s) to ${where}` : undefined
    },
    close: () => sql.end(),
  }
}

export function openSourceDatabase(source: string): Promise<SourceDatabase> {
  return isPostgresUrl(source) ? openPostgres(source) : openSqlite(source)
}
