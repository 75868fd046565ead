/**
 * NUT-01/02: the mint's keysets in memory, with their private keys re-derived from the seed at
 * start (they are never stored). Old keysets stay: their ecash is still spendable and wallets still
 * fetch their keys. A v2 (`01`) keyset may have a v1 (`00`) alias with the same keys, for wallets on
 * old cashu-ts that only use `00` ids: one keyset with two names. Either name is accepted in
 * requests; the books count both under the `01` keyset.
 */
import type { CurveBackend } from '../../crypto/curve-backend.ts'
import { defaultDerivationPath, unitDerivationIndex } from '../../keys/derivation.ts'
import { deriveKeyset, type MintKeyset, publicKeysOf } from '../../keys/keyset.ts'
import { keysetIdV1, keysetIdV2 } from '../../keys/keyset-id.ts'
import type { MintSeed } from '../../keys/seed.ts'
import { ErrorCode, MintError } from '../../protocol/errors.ts'
import type { KeysetRecord } from '../ports/store.ts'

export interface LoadedKeyset {
  record: KeysetRecord
  keyset: MintKeyset
}

export class KeysetRing {
  readonly #byId = new Map<string, LoadedKeyset>()
  /** Keysets by what they derive from, so a reload (rotation) derives only the new ones. */
  private readonly derived = new Map<string, MintKeyset>()

  constructor(curve: CurveBackend, seed: MintSeed, records: readonly KeysetRecord[], previous?: KeysetRing) {
    for (const record of records) {
      const key = `${record.derivationPath}|${record.amountCount}|${record.unit}|${record.inputFeePpk}|${record.finalExpiry}`
      let keyset = this.derived.get(key) ?? previous?.derived.get(key)
      if (!keyset) keyset = deriveRecord(curve, seed, record)
      this.derived.set(key, keyset)
      const expected = record.id.startsWith('00') ? keysetIdV1(publicKeysOf(keyset)) : keyset.id
      if (expected !== record.id && !isNutshellZeroExpiryId(record, keyset)) {
        throw new Error(`keyset ${record.id} does not derive from this seed (got ${expected}): wrong seed?`)
      }
      this.#byId.set(record.id, { record, keyset: { ...keyset, id: record.id } })
    }
  }

  all(): LoadedKeyset[] {
    return [...this.#byId.values()]
  }

  find(id: string): LoadedKeyset | undefined {
    return this.#byId.get(id)
  }

  /** The keyset for an id from a request, or the NUT-02 error. */
  get(id: string): LoadedKeyset {
    const found = this.#byId.get(id)
    if (!found) throw new MintError(ErrorCode.KEYSET_UNKNOWN, `keyset ${id} is not known`)
    return found
  }

  /** The active keysets of a unit, v2 first. */
  active(unit: string): LoadedKeyset[] {
    return this.all()
      .filter((k) => k.record.active && k.record.unit === unit)
      .sort((a, b) =>
        a.record.id.startsWith('01') === b.record.id.startsWith('01')
          ? 0
          : a.record.id.startsWith('01')
            ? -1
            : 1,
      )
  }
}

/** A keyset without expiry that Nutshell 0.21 named with `|final_expiry:0` (keysetIdV2's keepZeroExpiry). */
const isNutshellZeroExpiryId = (record: KeysetRecord, keyset: MintKeyset): boolean =>
  record.id.startsWith('01') &&
  record.finalExpiry === null &&
  record.id ===
    keysetIdV2(
      { keys: publicKeysOf(keyset), unit: record.unit, inputFeePpk: record.inputFeePpk, finalExpiry: 0n },
      true,
    )

export interface NewKeysetOptions {
  unit: string
  inputFeePpk: bigint
  finalExpiry?: bigint | undefined
  amountCount?: number
  /** Also record a `00` alias id for the same keys. */
  withV1Alias: boolean
  /** Derivation index of the unit; default unitDerivationIndex(unit). */
  unitIndex?: number
}

/** Records for a new keyset of a unit: the next derivation path after the unit's existing keysets. */
export function planKeyset(
  curve: CurveBackend,
  seed: MintSeed,
  existing: readonly KeysetRecord[],
  options: NewKeysetOptions,
  now: bigint,
): KeysetRecord[] {
  const unitIndex = options.unitIndex ?? unitDerivationIndex(options.unit)
  const paths = new Set(existing.filter((k) => k.unit === options.unit).map((k) => k.derivationPath))
  let index = 0
  while (paths.has(defaultDerivationPath(unitIndex, index))) index++
  const amountCount = options.amountCount ?? 64
  const derivationPath = defaultDerivationPath(unitIndex, index)
  const keyset = deriveKeyset(curve, seed, { ...options, derivationPath, amountCount, idVersion: '01' })
  const base = {
    unit: options.unit,
    derivationPath,
    amountCount,
    inputFeePpk: options.inputFeePpk,
    finalExpiry: options.finalExpiry ?? null,
    active: true,
    createdAt: now,
  }
  const record: KeysetRecord = { ...base, id: keyset.id, aliasOf: null }
  return options.withV1Alias ? [record, v1AliasOf(record, keyset)] : [record]
}

/** The `00` name of a `01` keyset: the same keys under their v1 id. */
export const v1AliasOf = (record: KeysetRecord, keyset: MintKeyset): KeysetRecord => ({
  ...record,
  id: keysetIdV1(publicKeysOf(keyset)),
  aliasOf: record.id,
})

/** Derives a stored keyset's keys from the seed. */
export const deriveRecord = (curve: CurveBackend, seed: MintSeed, record: KeysetRecord): MintKeyset =>
  deriveKeyset(curve, seed, {
    unit: record.unit,
    derivationPath: record.derivationPath,
    amountCount: record.amountCount,
    inputFeePpk: record.inputFeePpk,
    finalExpiry: record.finalExpiry ?? undefined,
  })
