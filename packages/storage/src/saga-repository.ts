/** Melt sagas: written with the proof reservation, read by recovery until they end. */
import type { MeltSagaRecord, MeltSagaState } from '@cashu-mint/core/mint'
import type { Db } from './db.ts'
import { asc, eq } from './drizzle.ts'
import { meltSagas } from './schema.ts'

interface SagaData {
  inputYs: string[]
  outputs: { amount: string; id: string; B_: string }[]
  inputAmount: string
  inputFee: string
}

function toRow(saga: MeltSagaRecord): typeof meltSagas.$inferInsert {
  const data: SagaData = {
    inputYs: saga.inputYs,
    outputs: saga.outputs.map((o) => ({ ...o, amount: o.amount.toString() })),
    inputAmount: saga.inputAmount.toString(),
    inputFee: saga.inputFee.toString(),
  }
  return {
    id: saga.id,
    quoteId: saga.quoteId,
    state: saga.state,
    data,
    createdAt: saga.createdAt,
    updatedAt: saga.updatedAt,
  }
}

function fromRow(row: typeof meltSagas.$inferSelect): MeltSagaRecord {
  const data = row.data as SagaData
  return {
    id: row.id,
    quoteId: row.quoteId,
    state: row.state,
    inputYs: data.inputYs,
    outputs: data.outputs.map((o) => ({ ...o, amount: BigInt(o.amount) })),
    inputAmount: BigInt(data.inputAmount),
    inputFee: BigInt(data.inputFee),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

export async function insertMeltSaga(db: Db, saga: MeltSagaRecord): Promise<void> {
  await db.insert(meltSagas).values(toRow(saga))
}

export async function findMeltSaga(db: Db, quoteId: string): Promise<MeltSagaRecord | undefined> {
  const rows = await db
    .select()
    .from(meltSagas)
    .where(eq(meltSagas.quoteId, quoteId))
    .orderBy(asc(meltSagas.createdAt))
  const row = rows.find((r) => r.state !== 'FAILED') ?? rows.at(-1)
  return row && fromRow(row)
}

export async function updateMeltSaga(
  db: Db,
  id: string,
  state: MeltSagaState,
  updatedAt: bigint,
): Promise<void> {
  await db.update(meltSagas).set({ state, updatedAt }).where(eq(meltSagas.id, id))
}

export async function listUnfinishedMeltSagas(db: Db): Promise<MeltSagaRecord[]> {
  return (
    await db.select().from(meltSagas).where(eq(meltSagas.state, 'PENDING')).orderBy(asc(meltSagas.createdAt))
  ).map(fromRow)
}
