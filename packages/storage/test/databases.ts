/**
 * Throwaway databases for tests: a fresh PostgreSQL database per call (on the server named by
 * TEST_DATABASE_URL, which scripts/postgres.sh starts), or an in-memory PGlite. A test that needs
 * PostgreSQL fails loudly when it is not running; it is never skipped.
 */
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://mint:mint@127.0.0.1:5432/postgres'

/** Creates an empty database and returns its URL and a function that drops it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `mint_test_${randomBytes(6).toString('hex')}`
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => undefined })
  try {
    await admin.unsafe(`create database ${name}`)
  } catch (error) {
    await admin.end()
    throw new Error(
      `PostgreSQL at ${ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} is required (run scripts/postgres.sh): ${error}`,
    )
  }
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}
