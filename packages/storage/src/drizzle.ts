/**
 * drizzle-orm, loaded through Node's CommonJS loader. Its ESM build makes Node's ESM resolver
 * re-read drizzle's large package.json (hundreds of exports) for each of the files it loads: enough
 * short-lived objects at start to grow V8's young generation to its maximum and keep it there for
 * the life of the process (the idle memory that cost is in docs/benchmarks.md). The CommonJS build
 * is the same code and loads without that garbage. Types come from the ESM declarations, which
 * describe the same functions.
 */
import { createRequire } from 'node:module'
import type { PGlite } from '@electric-sql/pglite'

type Orm = typeof import('drizzle-orm')
type PgCore = typeof import('drizzle-orm/pg-core')
type PostgresJs = typeof import('drizzle-orm/postgres-js')
type PostgresJsMigrator = typeof import('drizzle-orm/postgres-js/migrator')
type Pglite = typeof import('drizzle-orm/pglite')
type PgliteMigrator = typeof import('drizzle-orm/pglite/migrator')
type Postgres = typeof import('postgres')

const require = createRequire(import.meta.url)

export const { and, asc, desc, eq, getTableColumns, getTableName, isNull, lt, sql } =
  require('drizzle-orm') as Orm

const pgCore = require('drizzle-orm/pg-core') as PgCore
export const { bigint, boolean, customType, integer, jsonb, numeric, PgDialect, pgTable, text } = pgCore
/** Indexes and keys. */
export const { index, primaryKey, uniqueIndex } = pgCore

/**
 * postgres.js with drizzle's driver and migrator, loaded when a postgres:// URL is opened; the
 * client comes from the same loader as the driver, so one copy of postgres.js is in memory.
 */
export function loadPostgresDrivers(): PostgresJs & PostgresJsMigrator & { postgres: Postgres } {
  return {
    postgres: require('postgres'),
    ...require('drizzle-orm/postgres-js'),
    ...require('drizzle-orm/postgres-js/migrator'),
  }
}

/** PGlite (PostgreSQL in WASM, tens of MB) with drizzle's driver and migrator, loaded when an embedded database is opened. */
export function loadPgliteDrivers(): Pglite & PgliteMigrator & { PGlite: typeof PGlite } {
  return {
    PGlite: require('@electric-sql/pglite').PGlite,
    ...require('drizzle-orm/pglite'),
    ...require('drizzle-orm/pglite/migrator'),
  }
}
