/**
 * The database handle every repository function takes first: a drizzle database or a transaction,
 * on PostgreSQL (postgres.js) or PGlite alike.
 */
import { StoreConflictError } from '@cashu-mint/core/mint'
import type { SQL } from 'drizzle-orm'
import type { PgColumn, PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { sql } from './drizzle.ts'

export type Db = PgDatabase<PgQueryResultHKT>

/**
 * The unique constraint a write broke, or undefined when the error is something else
 * (postgres.js names it `constraint_name`, PGlite `constraint`; drivers may wrap it in `cause`).
 */
export function brokenUniqueConstraint(error: unknown): string | undefined {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const found = e as { code?: string; constraint_name?: string; constraint?: string }
    if (found.code === '23505') return found.constraint_name ?? found.constraint ?? ''
  }
  return undefined
}

/**
 * Runs a write whose only expected failure is a uniqueness constraint, and reports that failure
 * as the StoreConflictError the engine understands; any other error passes through.
 */
export async function writeOrConflict(
  write: () => Promise<unknown>,
  conflict: StoreConflictError['conflict'],
  message: string,
): Promise<void> {
  try {
    await write()
  } catch (error) {
    throw brokenUniqueConstraint(error) === undefined ? error : new StoreConflictError(conflict, message)
  }
}

/** One column of `rows` as a single array parameter, for `unnest($1::text[], ...)` inserts. */
export function arrayOf<Row>(rows: readonly Row[], pick: (row: Row) => string | null): SQL {
  return sql`${sql.param(rows.map(pick))}::text[]`
}

/**
 * `column = any($1::text[])`: one array parameter instead of one per value, so the statement has
 * one shape whatever the number of values and the query builder's work does not grow with it.
 */
export function anyOf(column: PgColumn, values: readonly string[]): SQL {
  return sql`${column} = any(${sql.param([...values])}::text[])`
}
