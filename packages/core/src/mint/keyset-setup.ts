/**
 * NUT-02: writing keysets to the store: the ones a mint starts with, and rotations. Separate from
 * the running engine so a process can prepare the database (e.g. before forking workers) without
 * starting recovery or touching Lightning.
 */
import type { CurveBackend } from '../crypto/curve-backend.ts'
import { type NewKeysetOptions, planKeyset } from './keyset-ring.ts'
import type { KeysetRecord, MintStore, MintStoreTx } from './ports.ts'

export interface KeysetPlan extends Omit<NewKeysetOptions, 'withV1Alias'> {
  /** Also serve a `00` id for the same keys (wallets on cashu-ts 2.x). Default true. */
  withV1Alias?: boolean
}

async function insertPlanned(
  tx: MintStoreTx,
  curve: CurveBackend,
  seed: string,
  plan: KeysetPlan,
  existing: readonly KeysetRecord[],
  now: bigint,
): Promise<void> {
  const options = { ...plan, withV1Alias: plan.withV1Alias ?? true }
  for (const record of planKeyset(curve, seed, existing, options, now)) await tx.insertKeyset(record)
}

/** Creates a keyset for each planned unit that has no active one yet. */
export async function ensureKeysets(
  store: MintStore,
  curve: CurveBackend,
  seed: string,
  plans: readonly KeysetPlan[],
  now: bigint,
): Promise<void> {
  await store.transaction(async (tx) => {
    const existing = await tx.listKeysets()
    for (const plan of plans) {
      if (existing.some((k) => k.unit === plan.unit && k.active)) continue
      await insertPlanned(tx, curve, seed, plan, existing, now)
    }
  })
}

/** A new active keyset for the unit; the unit's old ones turn inactive but stay valid as inputs. */
export async function rotateKeysets(
  store: MintStore,
  curve: CurveBackend,
  seed: string,
  plan: KeysetPlan,
  now: bigint,
): Promise<void> {
  await store.transaction(async (tx) => {
    const existing = await tx.listKeysets()
    for (const old of existing) {
      if (old.unit === plan.unit && old.active) await tx.setKeysetActive(old.id, false)
    }
    await insertPlanned(tx, curve, seed, plan, existing, now)
  })
}
