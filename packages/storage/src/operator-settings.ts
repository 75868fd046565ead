/**
 * Settings the operator changes while the mint runs (through the admin API or the CLI), kept in
 * the database so every instance reads the same ones. The service validates the values; this only
 * stores JSON by key.
 */
import { type Clock, nowSeconds } from '@cashu-mint/core/mint'
import type { Db } from './db.ts'
import { eq } from './drizzle.ts'
import { operatorSettings } from './schema.ts'

export interface OperatorSettingsStore {
  get(key: string): Promise<unknown>
  put(key: string, value: unknown): Promise<void>
}

export function createOperatorSettingsStore(db: Db, clock: Clock): OperatorSettingsStore {
  return {
    async get(key) {
      const [row] = await db.select().from(operatorSettings).where(eq(operatorSettings.key, key))
      return row?.value
    },
    async put(key, value) {
      const updatedAt = nowSeconds(clock)
      await db
        .insert(operatorSettings)
        .values({ key, value, updatedAt })
        .onConflictDoUpdate({ target: operatorSettings.key, set: { value, updatedAt } })
    },
  }
}
