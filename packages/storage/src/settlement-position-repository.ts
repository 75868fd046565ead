/** Settlement positions: the engine's resume point in each Lightning backend's settlement stream. */
import type { Db } from './db.ts'
import { eq, sql } from './drizzle.ts'
import { settlementPositions } from './schema.ts'

export async function getSettlementPosition(db: Db, backend: string): Promise<bigint | undefined> {
  const [row] = await db
    .select({ position: settlementPositions.position })
    .from(settlementPositions)
    .where(eq(settlementPositions.backend, backend))
  return row?.position
}

/** Upserts, keeping the greater position: instances that process settlements concurrently never rewind it. */
export async function saveSettlementPosition(
  db: Db,
  backend: string,
  position: bigint,
  updatedAt: bigint,
): Promise<void> {
  await db
    .insert(settlementPositions)
    .values({ backend, position, updatedAt })
    .onConflictDoUpdate({
      target: settlementPositions.backend,
      set: { position: sql`greatest(${settlementPositions.position}, excluded.position)`, updatedAt },
    })
}
