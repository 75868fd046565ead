/**
 * The spent set's and the signatures' keys as the migrations leave them on PostgreSQL: compared byte
 * by byte (`COLLATE "C"`, memcmp in every index step instead of the locale), each table with its
 * primary key as its only index, and the lookups every checkstate and restore makes using it.
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '../src/connect.ts'
import { createPostgresDatabase } from './databases.ts'

describe('spent-set keys on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>
  let sql: postgres.Sql

  beforeAll(async () => {
    database = await createPostgresDatabase()
    const store = await openStore({ url: database.url, maxConnections: 1 })
    await store.close()
    sql = postgres(database.url, { max: 1, onnotice: () => undefined })
  })

  afterAll(async () => {
    await sql?.end()
    await database?.drop()
  })

  it('compares Y and B_ with the C collation', async () => {
    const columns = await sql<{ table_name: string; column_name: string; collation_name: string | null }[]>`
      select table_name, column_name, collation_name from information_schema.columns
      where (table_name, column_name) in (('proofs', 'y'), ('blind_signatures', 'b_'), ('auth_proofs', 'y'))
      order by table_name`
    expect(columns.map((c) => [c.table_name, c.column_name, c.collation_name])).toEqual([
      ['auth_proofs', 'y', 'C'],
      ['blind_signatures', 'b_', 'C'],
      ['proofs', 'y', 'C'],
    ])
  })

  it('indexes proofs and signatures by their key only', async () => {
    const indexes = await sql<{ tablename: string; indexname: string }[]>`
      select tablename, indexname from pg_indexes
      where tablename in ('proofs', 'blind_signatures') order by tablename`
    expect(indexes.map((i) => [i.tablename, i.indexname])).toEqual([
      ['blind_signatures', 'blind_signatures_pkey'],
      ['proofs', 'proofs_pkey'],
    ])
  })

  it('finds rows by a text parameter through the primary key', async () => {
    await sql`set enable_seqscan = off`
    const plans = [
      await sql.unsafe(`explain select state from proofs where y = any($1::text[])`, [['02ab']]),
      await sql.unsafe(`explain select c_ from blind_signatures where b_ = any($1::text[])`, [['02ab']]),
    ]
    const text = plans.map((rows) => rows.map((r) => r['QUERY PLAN']).join('\n'))
    expect(text[0]).toContain('proofs_pkey')
    expect(text[1]).toContain('blind_signatures_pkey')
  })
})
