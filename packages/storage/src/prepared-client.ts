/**
 * postgres.js as drizzle should use it on the hot path: every statement prepared. drizzle runs its
 * queries unprepared (it prepares only the ones you name), and postgres.js then describes each one
 * before running it: two round trips and a parse on the server, per query. Prepared, a statement
 * text is parsed once per connection and then bound and run in one round trip. The store's
 * statements have one text whatever the number of rows (arrays through unnest and `= any`), so the
 * set of prepared statements stays small. Transactions get the same treatment.
 */
import type { Sql } from 'postgres'

type UnsafeOptions = Parameters<Sql['unsafe']>[2]

export function preparing<T extends Sql>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'unsafe')
        return (query: string, params?: never[], options?: UnsafeOptions) =>
          target.unsafe(query, params, { ...options, prepare: true })
      if (property === 'begin')
        return (...args: unknown[]) => {
          const work = args.at(-1) as (sql: Sql) => unknown
          return (target.begin as (...a: unknown[]) => unknown)(...args.slice(0, -1), (sql: Sql) =>
            work(preparing(sql)),
          )
        }
      const value = Reflect.get(target, property, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
