/**
 * PGlite, the embedded database: how it is opened, and its data folder created and migrated in a
 * throwaway Node process, so that the mint then opens it with the schema already in place. PGlite's
 * WASM memory grows large while it runs initdb and the migrations and is never given back, even
 * after close(): a mint that did that work in-process would idle at several times the memory of
 * one that opens a ready folder (docs/benchmarks.md, memory). The throwaway process runs with V8's
 * `--liftoff-only`: its optimizing compiler, working on postgres's largest WASM functions, is what
 * takes a start's peak memory highest.
 * Run as a script, this file is that throwaway process: `node pglite-folder.js <folder>`.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { loadPgliteDrivers } from './drizzle.ts'
import { MIGRATIONS_FOLDER } from './migrations-folder.ts'

/**
 * A PGlite (in `dataDir`, or in memory) with drizzle over it, and the migration of its schema.
 * Shared buffers smaller than PostgreSQL's default: they would live in WASM memory, which never
 * shrinks, and the files still sit in the OS page cache.
 */
export function openPglite(dataDir: string | undefined) {
  const { PGlite, drizzle, migrate } = loadPgliteDrivers()
  const client = new PGlite(dataDir, {
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
  })
  const db = drizzle(client)
  return { client, db, migrate: () => migrate(db, { migrationsFolder: MIGRATIONS_FOLDER }) }
}

/** Creates the folder if needed and applies pending migrations, in a child process. */
export async function preparePgliteFolder(folder: string): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, ['--liftoff-only', fileURLToPath(import.meta.url), folder])
  } catch (error) {
    const { stderr } = error as { stderr?: string }
    throw new Error(`cannot prepare the PGlite database in ${folder}: ${stderr?.trim() || error}`)
  }
}

async function migrateFolder(folder: string): Promise<void> {
  const { client, migrate } = openPglite(folder)
  try {
    await migrate()
  } finally {
    await client.close()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await migrateFolder(process.argv[2] as string)
