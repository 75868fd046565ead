/**
 * The database handle every repository function takes first: a drizzle database or a transaction,
 * on PostgreSQL (postgres.js) or PGlite alike.
 */
import { type SQL, sql } from 'drizzle-orm'
import type { PgColumn, PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'

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

/**
 * `column = any($1::text[])`: one array parameter instead of one per value, so the statement has
 * one shape whatever the number of values and the query builder's work does not grow with it.
 */
export function anyOf(column: PgColumn, values: readonly string[]): SQL {
  return sql`${column} = any(${sql.param([...values])}::text[])`
}
