/**
 * Opens the mint's database and brings its schema up to date: PostgreSQL when given a
 * postgres:// URL, otherwise PGlite (PostgreSQL compiled to WASM) in a local folder, or in memory.
 * Migrations come from the top-level drizzle/ folder and run at every start; they are idempotent.
 */
import { type Clock, type MintStore, nowSeconds, systemClock } from '@cashu-mint/core/mint'
import {
  createOutageTracker,
  guardAvailability,
  isDatabaseUnreachable,
  type OutageEvent,
} from './availability.ts'
import type { Db } from './db.ts'
import { loadPostgresDrivers } from './drizzle.ts'
import { MIGRATIONS_FOLDER } from './migrations-folder.ts'
import { type ImportOutcome, importMint, type MintImport } from './mint-import.ts'
import { createOperatorSettingsStore, type OperatorSettingsStore } from './operator-settings.ts'
import { openPglite, preparePgliteFolder } from './pglite-folder.ts'
import { RECONNECTING } from './postgres-options.ts'
import { preparing } from './prepared-client.ts'
import { createReports, type Reports } from './reports.ts'
import { createResponseCache, type ResponseCache } from './response-cache.ts'
import { exportSnapshot, restoreSnapshot, type Snapshot } from './snapshot.ts'
import { createDrizzleStore } from './store.ts'

function withExtras(
  db: Db,
  close: () => Promise<void>,
  spendWriters: number,
  options: OpenStoreOptions,
): OpenedStore {
  const clock = options.clock ?? systemClock
  const outages = createOutageTracker('database', options.onOutage ?? (() => undefined))
  const guard = <T extends object>(target: T) => guardAvailability(target, outages)
  return {
    ...guard(createDrizzleStore(db, close, spendWriters)),
    responseCache: guard(createResponseCache(db)),
    operatorSettings: guard(createOperatorSettingsStore(db, clock)),
    reports: guard(createReports(db)),
    exportSnapshot: () => exportSnapshot(db, nowSeconds(clock)),
    restoreSnapshot: (snapshot) => restoreSnapshot(db, snapshot),
    importMint: (data, importOptions) => importMint(db, data, importOptions),
  }
}

export { MIGRATIONS_FOLDER }

export interface OpenStoreOptions {
  /** `postgres://…` for PostgreSQL; a folder path for PGlite; `memory://` for a throwaway PGlite. */
  url: string
  /** PostgreSQL pool size. */
  maxConnections?: number
  /** What the service's own records are timestamped with (settings, snapshots); default the system's. */
  clock?: Clock
  /**
   * Told once when the database stops answering (its calls then throw UnavailableError) and once
   * when it answers again.
   */
  onOutage?: (event: OutageEvent) => void
}

/** The mint's store, plus what the service keeps in the same database: the NUT-19 response cache, the operator's settings and reports. */
export type OpenedStore = MintStore & {
  responseCache: ResponseCache
  operatorSettings: OperatorSettingsStore
  reports: Reports
  /** A consistent copy of every table (snapshot.ts). */
  exportSnapshot(): Promise<Snapshot>
  /** Fills a fresh database from a snapshot; refuses one that already has keysets. */
  restoreSnapshot(snapshot: Snapshot): Promise<Record<string, number>>
  /** Takes over another mint's rows in one transaction (mint-import.ts). */
  importMint(data: MintImport, options: { merge: boolean }): Promise<ImportOutcome>
}

/** host:port of a PostgreSQL URL, for messages: never its credentials. */
const serverOf = (url: string) => {
  const { hostname, port } = new URL(url)
  return `${hostname}:${port || 5432}`
}

export async function openStore(options: OpenStoreOptions): Promise<OpenedStore> {
  const { url } = options
  // Each driver is loaded only when it is used: PGlite (PostgreSQL in WASM) is tens of MB a process.
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { postgres, drizzle: drizzlePostgres, migrate: migratePostgres } = loadPostgresDrivers()
    const connections = options.maxConnections ?? 10
    const client = postgres(url, { max: connections, onnotice: () => undefined, ...RECONNECTING })
    await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS_FOLDER }).catch(
      async (error) => {
        await client.end()
        if (!isDatabaseUnreachable(error)) throw error
        throw new Error(
          `cannot reach PostgreSQL at ${serverOf(url)}: ${error.cause?.message ?? error.message}`,
        )
      },
    )
    const db = drizzlePostgres(preparing(client))
    // Queries still running get 5 s; a connection that died under them (database restarted) would
    // otherwise keep end() waiting for ever.
    return withExtras(db as unknown as Db, () => client.end({ timeout: 5 }), connections, options)
  }
  // On disk, the schema work happens in a throwaway process first (pglite-folder.ts); in memory,
  // there is no folder to hand over, so it happens here.
  const inMemory = url === 'memory://'
  if (!inMemory) await preparePgliteFolder(url)
  const { client, db, migrate } = openPglite(inMemory ? undefined : url)
  if (inMemory)
    await migrate().catch(async (error) => {
      await client.close()
      throw error
    })
  return withExtras(db as unknown as Db, () => client.close(), 1, options)
}
