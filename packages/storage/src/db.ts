/**
 * The database handle every repository function takes first: a drizzle database or a transaction,
 * on PostgreSQL (postgres.js) or PGlite alike.
 */
import { StoreConflictError } from '@cashu-mint/core/mint'
import type { SQL } from 'drizzle-orm'
import type { PgColumn, PgDatabase, PgQueryResultHKT, PgTable } from 'drizzle-orm/pg-core'
import { getTableName, PgDialect, sql } from './drizzle.ts'

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

export type StatementValues = Record<string, readonly (string | null)[]>

export interface UnnestInsert<Row> {
  statement: SQL
  /** The statement's placeholder values for `rows`, in the first column's order. */
  values(rows: readonly Row[]): StatementValues
}

/**
 * An insert of any number of rows as one statement: each column one `text[]` parameter through
 * unnest (cast to `numeric[]` for the `numeric` columns), so neither the driver's nor PostgreSQL's
 * work on the statement grows with the rows. Rows go in sorted by the first column, so concurrent
 * writers take index locks in one order and cannot deadlock. Placeholders are named after the table
 * and column, so two inserts can share one statement.
 */
export function unnestInsert<Row>(
  table: PgTable,
  columns: Record<string, (row: Row) => string | null>,
  numeric: readonly string[] = [],
): UnnestInsert<Row> {
  const names = Object.keys(columns)
  const placeholder = (column: string) => `${getTableName(table)}_${column}`
  const arrays = names.map(
    (column) =>
      sql`${sql.placeholder(placeholder(column))}::text[]${numeric.includes(column) ? sql`::numeric[]` : sql``}`,
  )
  const order = columns[names[0] as string] as (row: Row) => string
  return {
    statement: sql`insert into ${table} (${sql.join(names.map(sql.identifier), sql`, `)})
      select * from unnest(${sql.join(arrays, sql`, `)})`,
    values(records) {
      const rows = [...records].sort((a, b) => (order(a) < order(b) ? -1 : 1))
      return Object.fromEntries(
        names.map((column) => [
          placeholder(column),
          rows.map(columns[column] as (row: Row) => string | null),
        ]),
      )
    },
  }
}

/**
 * A statement whose SQL text is built once, then run with new values for its placeholders (the
 * driver keeps it prepared by that text). `db.execute(sql...)` rebuilds the text on every call, a
 * share of a swap's CPU and allocation that docs/benchmarks.md measured.
 */
export function preparedStatement(statement: SQL): (db: Db, values: StatementValues) => Promise<unknown> {
  const query = new PgDialect().sqlToQuery(statement)
  return (db, values) => db._.session.prepareQuery(query, undefined, undefined, false).execute(values)
}

/** A result's rows: postgres.js returns them as the result, PGlite in its `rows`. */
export const rowsOf = (result: unknown): Record<string, unknown>[] =>
  Array.isArray(result) ? result : ((result as { rows?: Record<string, unknown>[] }).rows ?? [])

/** A numeric column of a raw row as a bigint (drivers hand numeric over as text); null is 0. */
export const bigintOf = (value: unknown): bigint => BigInt(String(value ?? 0))

/**
 * A read as a preparedStatement: its rows as the database names their columns, without the query
 * builder's per-call work (building the text, mapping each row), which checkstate and restore
 * spend most of their CPU on otherwise (docs/benchmarks.md).
 */
export function preparedRead<Row>(statement: SQL): (db: Db, values: StatementValues) => Promise<Row[]> {
  const run = preparedStatement(statement)
  return async (db, values) => rowsOf(await run(db, values)) as Row[]
}

/**
 * `column = any($1::text[])`: one array parameter instead of one per value, so the statement has
 * one shape whatever the number of values and the query builder's work does not grow with it.
 */
export function anyOf(column: PgColumn, values: readonly string[]): SQL {
  return sql`${column} = any(${sql.param([...values])}::text[])`
}
