/**
 * NUT-19 cached responses, in the database so a retry is answered the same after a restart or by
 * another instance. The first response stored for a key wins.
 */

import type { Db } from './db.ts'
import { eq, lt } from './drizzle.ts'
import { cachedResponses } from './schema.ts'

export interface CachedResponse {
  status: number
  body: string
  createdAt: bigint
}

export interface ResponseCache {
  get(key: string): Promise<CachedResponse | undefined>
  put(key: string, response: CachedResponse): Promise<void>
  /** Drops entries created before `before` (unix seconds). */
  purge(before: bigint): Promise<void>
}

export function createResponseCache(db: Db): ResponseCache {
  return {
    async get(key) {
      const [row] = await db.select().from(cachedResponses).where(eq(cachedResponses.key, key))
      return row && { status: row.status, body: row.body, createdAt: row.createdAt }
    },
    async put(key, response) {
      await db
        .insert(cachedResponses)
        .values({ key, ...response })
        .onConflictDoNothing()
    },
    async purge(before) {
      await db.delete(cachedResponses).where(lt(cachedResponses.createdAt, before))
    },
  }
}
