/** Keysets (NUT-02): never deleted; rotation flips `active`. */
import type { KeysetRecord } from '@cashu-mint/core/mint'
import type { Db } from './db.ts'
import { asc, eq } from './drizzle.ts'
import { keysets } from './schema.ts'

export async function insertKeyset(db: Db, keyset: KeysetRecord): Promise<void> {
  await db.insert(keysets).values(keyset)
}

export async function listKeysets(db: Db): Promise<KeysetRecord[]> {
  return db.select().from(keysets).orderBy(asc(keysets.createdAt), asc(keysets.id))
}

export async function setKeysetActive(db: Db, id: string, active: boolean): Promise<void> {
  await db.update(keysets).set({ active }).where(eq(keysets.id, id))
}
