/**
 * NUT-02: writing keysets to the store: the ones a mint starts with, and rotations. Separate from
 * the running engine so a process can prepare the database (e.g. before forking workers) without
 * starting recovery or touching Lightning.
 */
import type { CurveBackend } from '../../crypto/curve-backend.ts'
import type { MintSeed } from '../../keys/seed.ts'
import type { KeysetRecord, MintStore, MintStoreTx } from '../ports/store.ts'
import { deriveRecord, type NewKeysetOptions, planKeyset, v1AliasOf } from './keyset-ring.ts'

/** NUT-22: the unit reserved for blind authentication tokens (BATs). */
export const AUTH_UNIT = 'auth'

export interface KeysetPlan extends Omit<NewKeysetOptions, 'withV1Alias'> {
  /**
   * Also name the keys by a `00` id, for wallets that only know v1 ids (cashu-ts 2.x, Nutstash).
   * Default false: one keyset per unit with its `01` id, as current mints list.
   */
  withV1Alias?: boolean
}

/** NUT-22: an auth keyset has the amount 1 only, no fee and no `00` name, whatever the plan says. */
const shaped = (plan: KeysetPlan): KeysetPlan =>
  plan.unit === AUTH_UNIT ? { ...plan, amountCount: 1, inputFeePpk: 0n, withV1Alias: false } : plan

async function insertPlanned(
  tx: MintStoreTx,
  curve: CurveBackend,
  seed: MintSeed,
  plan: KeysetPlan,
  existing: readonly KeysetRecord[],
  now: bigint,
): Promise<void> {
  const options = { ...plan, withV1Alias: plan.withV1Alias ?? false }
  for (const record of planKeyset(curve, seed, existing, options, now)) await tx.insertKeyset(record)
}

/**
 * Brings the unit's `00` names in line with the plan: served, each active `01` keyset has an active
 * one (created if missing); not served, existing ones turn inactive. They are never deleted:
 * wallets hold ecash under them, which stays spendable and must stay recognisable.
 */
async function alignAliases(
  tx: MintStoreTx,
  curve: CurveBackend,
  seed: MintSeed,
  plan: KeysetPlan,
  existing: readonly KeysetRecord[],
): Promise<void> {
  const served = plan.withV1Alias ?? false
  for (const record of existing) {
    if (record.unit !== plan.unit || record.aliasOf !== null || !record.id.startsWith('01')) continue
    const alias = existing.find((k) => k.aliasOf === record.id)
    const active = served && record.active
    if (!alias && served) await tx.insertKeyset(v1AliasOf(record, deriveRecord(curve, seed, record)))
    else if (alias && alias.active !== active) await tx.setKeysetActive(alias.id, active)
  }
}

/**
 * Creates a keyset for each planned unit that has no active one yet, and serves or retires the
 * `00` names of the unit's keysets as the plan says (`withV1Alias`).
 */
export async function ensureKeysets(
  store: MintStore,
  curve: CurveBackend,
  seed: MintSeed,
  plans: readonly KeysetPlan[],
  now: bigint,
): Promise<void> {
  await store.transaction(async (tx) => {
    const existing = await tx.listKeysets()
    for (const plan of plans.map(shaped)) {
      if (!existing.some((k) => k.unit === plan.unit && k.active && k.aliasOf === null))
        await insertPlanned(tx, curve, seed, plan, existing, now)
      else await alignAliases(tx, curve, seed, plan, existing)
    }
  })
}

/** A new active keyset for the unit; the unit's old ones turn inactive but stay valid as inputs. */
export async function rotateKeysets(
  store: MintStore,
  curve: CurveBackend,
  seed: MintSeed,
  plan: KeysetPlan,
  now: bigint,
): Promise<void> {
  await store.transaction(async (tx) => {
    const existing = await tx.listKeysets()
    for (const old of existing) {
      if (old.unit === plan.unit && old.active) await tx.setKeysetActive(old.id, false)
    }
    await insertPlanned(tx, curve, seed, shaped(plan), existing, now)
  })
}
