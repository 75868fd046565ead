/**
 * NUT-01/02: keyset private keys, derived from the seed (they are never stored), each stored keyset
 * checked: its keys must give its id, or the seed is not the one it was made with. What the local
 * signer signs with, and what an import re-signs with. A v2 (`01`) keyset may have a v1 (`00`) alias
 * with the same keys (one keyset, two names).
 */
import { signBlindedMessage } from '../../crypto/bdhke.ts'
import { bytesToHex, hexToBytes } from '../../crypto/bytes.ts'
import type { CurveBackend } from '../../crypto/curve-backend.ts'
import { defaultDerivationPath, unitDerivationIndex } from '../../keys/derivation.ts'
import { deriveKeyset, type MintKeyset, publicKeysOf } from '../../keys/keyset.ts'
import { keysetIdV1, keysetIdV2 } from '../../keys/keyset-id.ts'
import type { MintSeed } from '../../keys/seed.ts'
import type { BlindedMessage } from '../../protocol/schemas/nut00.ts'
import type { SignedOutput } from '../ports/signer.ts'
import type { KeysetRecord } from '../ports/store.ts'

export class DerivedKeysets {
  readonly #byId = new Map<string, MintKeyset>()
  /** Keysets by what they derive from, so a reload (rotation) derives only the new ones. */
  private readonly derived = new Map<string, MintKeyset>()
  private readonly curve: CurveBackend

  constructor(
    curve: CurveBackend,
    seed: MintSeed,
    records: readonly KeysetRecord[],
    previous?: DerivedKeysets,
  ) {
    this.curve = curve
    for (const record of records) {
      const key = `${record.derivationPath}|${record.amountCount}|${record.unit}|${record.inputFeePpk}|${record.finalExpiry}`
      let keyset = this.derived.get(key) ?? previous?.derived.get(key)
      if (!keyset) keyset = deriveRecord(curve, seed, record)
      this.derived.set(key, keyset)
      const expected = record.id.startsWith('00') ? keysetIdV1(publicKeysOf(keyset)) : keyset.id
      if (expected !== record.id && !isNutshellZeroExpiryId(record, keyset)) {
        throw new Error(`keyset ${record.id} does not derive from this seed (got ${expected}): wrong seed?`)
      }
      this.#byId.set(record.id, { ...keyset, id: record.id })
    }
  }

  /** The keyset of an id, with its private keys. */
  get(id: string): MintKeyset | undefined {
    return this.#byId.get(id)
  }

  all(): MintKeyset[] {
    return [...this.#byId.values()]
  }

  /** C_ = k·B_ with its DLEQ; undefined if the keyset or its amount is not known. */
  sign(output: BlindedMessage, point?: Uint8Array): SignedOutput | undefined {
    const pair = this.#byId.get(output.id)?.keys.get(output.amount)
    if (!pair) return undefined
    const { C_, dleq } = signBlindedMessage(
      this.curve,
      pair.privateKey,
      pair.publicKey,
      point ?? hexToBytes(output.B_),
    )
    return { C_: bytesToHex(C_), dleqE: bytesToHex(dleq.e), dleqS: bytesToHex(dleq.s) }
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
