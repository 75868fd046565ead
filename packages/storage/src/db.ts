/**
 * The database handle every repository function takes first: a drizzle database or a transaction,
 * on PostgreSQL (postgres.js) or PGlite alike.
 */
import { StoreConflictError } from '@cashu-mint/core/mint'
import type { SQL } from 'drizzle-orm'
import type { PgColumn, PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { PgDialect, sql } from './drizzle.ts'

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

/** The placeholder for one column's values as a single `text[]` parameter, for `unnest(...)` inserts. */
export function textArray(name: string): SQL {
  return sql`${sql.placeholder(name)}::text[]`
}

export type StatementValues = Record<string, readonly (string | null)[]>

/**
 * A statement whose SQL text is built once, then run with new values for its placeholders (the
 * driver keeps it prepared by that text). `db.execute(sql...)` rebuilds the text on every call,
 * which was 3 % of a swap's CPU and 8 % of what it allocates (docs/benchmarks.md).
 */
export function preparedStatement(statement: SQL): (db: Db, values: StatementValues) => Promise<unknown> {
  const query = new PgDialect().sqlToQuery(statement)
  return (db, values) => db._.session.prepareQuery(query, undefined, undefined, false).execute(values)
}

/**
 * `column = any($1::text[])`: one array parameter instead of one per value, so the statement has
 * one shape whatever the number of values and the query builder's work does not grow with it.
 */
export function anyOf(column: PgColumn, values: readonly string[]): SQL {
  return sql`${column} = any(${sql.param([...values])}::text[])`
}
