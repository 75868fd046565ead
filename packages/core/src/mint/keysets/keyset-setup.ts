/**
 * NUT-02: the keysets a mint starts with and rotations, made by the signer (ports/signer.ts), and
 * the store's records of them. A local signer keeps the records itself; a remote one's keysets are
 * mirrored into the store, so reports and other instances see the same ones. Separate from the
 * running engine so a process can prepare the database (e.g. before forking workers) without
 * starting recovery or touching Lightning.
 */

import type { Clock } from '../ports/clock.ts'
import { nowSeconds } from '../ports/clock.ts'
import type { RotationRequest, Signer, SignerKeyset } from '../ports/signer.ts'
import type { KeysetRecord, MintStore } from '../ports/store.ts'
import type { LocalSigner } from './local-signer.ts'

/** NUT-22: the unit reserved for blind authentication tokens (BATs). */
export const AUTH_UNIT = 'auth'

export interface KeysetPlan extends Omit<RotationRequest, 'amountCount'> {
  /** How many amounts (powers of two) the keyset signs: default 64, every u64 amount. */
  amountCount?: number
  /**
   * Also name the keys by a `00` id, for wallets that only know v1 ids (cashu-ts 2.x, Nutstash).
   * Default false: one keyset per unit with its `01` id, as current mints list. A local signer only.
   */
  withV1Alias?: boolean
}

/** NUT-22: an auth keyset has the amount 1 only, no fee and no `00` name, whatever the plan says. */
const requestOf = (plan: KeysetPlan): RotationRequest =>
  plan.unit === AUTH_UNIT
    ? { unit: AUTH_UNIT, inputFeePpk: 0n, amountCount: 1 }
    : {
        unit: plan.unit,
        inputFeePpk: plan.inputFeePpk,
        amountCount: plan.amountCount ?? 64,
        ...(plan.finalExpiry === undefined ? {} : { finalExpiry: plan.finalExpiry }),
      }

const isLocal = (signer: Signer): signer is LocalSigner => signer.kind === 'local'

/**
 * A remote signer's keysets as records: those the store lacks are added (their derivation is the
 * signer's business), and active flags follow the signer's.
 */
export async function mirrorKeysets(
  store: MintStore,
  keysets: readonly SignerKeyset[],
  now: bigint,
): Promise<void> {
  await store.transaction(async (tx) => {
    const stored = new Map((await tx.listKeysets()).map((k) => [k.id, k]))
    for (const keyset of keysets) {
      const record = stored.get(keyset.id)
      if (record && record.active !== keyset.active) await tx.setKeysetActive(keyset.id, keyset.active)
      if (record) continue
      const added: KeysetRecord = {
        id: keyset.id,
        unit: keyset.unit,
        derivationPath: 'signer',
        amountCount: keyset.keys.size,
        inputFeePpk: keyset.inputFeePpk,
        finalExpiry: keyset.finalExpiry,
        active: keyset.active,
        aliasOf: null,
        createdAt: now,
      }
      await tx.insertKeyset(added)
    }
  })
}

/**
 * Has the signer make a keyset for each planned unit that has no active one yet; a local signer
 * also serves or retires the unit's `00` names as the plan says (`withV1Alias`). Records follow.
 */
export async function ensureKeysets(
  store: MintStore,
  signer: Signer,
  plans: readonly KeysetPlan[],
  clock: Clock,
): Promise<void> {
  const { keysets } = await signer.keysets()
  for (const plan of plans) {
    if (plan.withV1Alias && !isLocal(signer))
      throw new Error(
        'a remote signer names keysets by their 01 id only: CASHU_MINT_V1_KEYSET_IDS needs the seed here',
      )
    if (!keysets.some((k) => k.unit === plan.unit && k.active)) await signer.rotate(requestOf(plan))
    if (isLocal(signer) && plan.unit !== AUTH_UNIT)
      await signer.alignAliases(plan.unit, plan.withV1Alias ?? false)
  }
  if (!isLocal(signer)) await mirrorKeysets(store, (await signer.keysets()).keysets, nowSeconds(clock))
}

/** A new active keyset for the unit; the unit's old ones turn inactive but stay valid as inputs. */
export async function rotateKeysets(
  store: MintStore,
  signer: Signer,
  plan: KeysetPlan,
  clock: Clock,
): Promise<void> {
  await signer.rotate(requestOf(plan))
  if (!isLocal(signer)) await mirrorKeysets(store, (await signer.keysets()).keysets, nowSeconds(clock))
}
