/**
 * The database handle every repository function takes first: a drizzle database or a transaction,
 * on PostgreSQL (postgres.js) or PGlite alike.
 */
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'

export type Db = PgDatabase<PgQueryResultHKT>

/** The name of the unique constraint a write violated, if that is why it failed. */
export function uniqueViolation(error: unknown): string | undefined {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const { code, constraint, constraint_name } = e as {
      code?: string
      constraint?: string
      constraint_name?: string
    }
    if (code === '23505') return constraint ?? constraint_name ?? ''
  }
  return undefined
}
