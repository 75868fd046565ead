/**
 * The signer in this process: keysets derive from the seed (derived-keysets.ts) under the records
 * the store keeps; it signs with their private keys and checks inputs with them. The default, and
 * what `cashu-mint signer` serves to a mint in another process.
 */
import { verifyWithY } from '../../crypto/bdhke.ts'
import { hexToBytes } from '../../crypto/bytes.ts'
import type { CurveBackend } from '../../crypto/curve-backend.ts'
import { hashSecretToCurve } from '../../crypto/hash-to-curve.ts'
import type { MintKeyset } from '../../keys/keyset.ts'
import { publicKeysOf } from '../../keys/keyset.ts'
import { mintPublicKey } from '../../keys/mint-public-key.ts'
import type { MintSeed } from '../../keys/seed.ts'
import type { BlindedMessage, Proof } from '../../protocol/schemas/nut00.ts'
import { type Clock, nowSeconds } from '../ports/clock.ts'
import type { RotationRequest, SignedOutput, Signer, SignerKeyset, SignerKeysets } from '../ports/signer.ts'
import type { KeysetRecord, MintStore } from '../ports/store.ts'
import { DerivedKeysets, deriveRecord, planKeyset, v1AliasOf } from './derived-keysets.ts'

export interface LocalSignerOptions {
  curve: CurveBackend
  seed: MintSeed
  /** Where the keyset records are (the mint's own store, or the signer process's). */
  store: MintStore
  clock: Clock
  /** New keysets are also named by their `00` id (CASHU_MINT_V1_KEYSET_IDS). */
  v1Aliases: boolean
}

/**
 * Who holds the keys. `seed`: this process (a local signer over the store); never logged or
 * returned. `signer`: another process, with `secret`, a key of this process's own that the
 * secrets of ecash the mint makes itself derive from (mint-made-proofs.ts).
 */
export type MintKeys = { seed: MintSeed } | { signer: Signer; secret: Uint8Array }

/** The signer the keys name: the one given, or a local one from the seed. */
export const signerOf = (keys: MintKeys, options: Omit<LocalSignerOptions, 'seed'>): Signer =>
  'seed' in keys ? createLocalSigner({ ...options, seed: keys.seed }) : keys.signer

export interface LocalSigner extends Signer {
  readonly kind: 'local'
  /** Serves or retires the `00` names of a unit's keysets (an option a remote signer does not have). */
  alignAliases(unit: string, served: boolean): Promise<void>
}

const toSignerKeyset = (record: KeysetRecord, keyset: MintKeyset): SignerKeyset => ({
  id: record.id,
  unit: record.unit,
  active: record.active,
  inputFeePpk: record.inputFeePpk,
  finalExpiry: record.finalExpiry,
  keys: publicKeysOf(keyset),
})

export function createLocalSigner(options: LocalSignerOptions): LocalSigner {
  const { curve, seed, store } = options
  let derived = new DerivedKeysets(curve, seed, [])
  const reload = async (): Promise<KeysetRecord[]> => {
    const records = await store.listKeysets()
    derived = new DerivedKeysets(curve, seed, records, derived)
    return records
  }
  /** The keyset of an id, reloading once for one another process has just made. */
  const keysetOf = async (id: string): Promise<MintKeyset | undefined> => {
    if (!derived.get(id)) await reload()
    return derived.get(id)
  }

  return {
    kind: 'local',
    async keysets(): Promise<SignerKeysets> {
      const records = await reload()
      return {
        publicKey: mintPublicKey(curve, seed),
        keysets: records
          .filter((record) => record.aliasOf === null)
          .map((record) => toSignerKeyset(record, derived.get(record.id) as MintKeyset)),
      }
    },
    async blindSign(
      outputs: readonly BlindedMessage[],
      points?: readonly Uint8Array[],
    ): Promise<SignedOutput[]> {
      const signed: SignedOutput[] = []
      for (const [i, output] of outputs.entries()) {
        if (!derived.get(output.id)) await keysetOf(output.id)
        const one = derived.sign(output, points?.[i])
        if (!one) throw new Error(`no key for amount ${output.amount} of keyset ${output.id}`)
        signed.push(one)
      }
      return signed
    },
    async verifyProofs(proofs: readonly Proof[], ys?: readonly Uint8Array[]): Promise<boolean> {
      for (const [i, proof] of proofs.entries()) {
        const pair = (derived.get(proof.id) ?? (await keysetOf(proof.id)))?.keys.get(proof.amount)
        const Y = ys?.[i] ?? hashSecretToCurve(curve, proof.secret)
        if (!pair || !verifyWithY(curve, pair.privateKey, Y, hexToBytes(proof.C))) return false
      }
      return true
    },
    async rotate(request: RotationRequest): Promise<SignerKeyset> {
      const now = nowSeconds(options.clock)
      const made = await store.transaction(async (tx) => {
        const existing = await tx.listKeysets()
        for (const old of existing)
          if (old.unit === request.unit && old.active) await tx.setKeysetActive(old.id, false)
        const records = planKeyset(
          curve,
          seed,
          existing,
          { ...request, withV1Alias: options.v1Aliases && request.unit !== 'auth' },
          now,
        )
        for (const record of records) await tx.insertKeyset(record)
        return records[0] as KeysetRecord
      })
      await reload()
      return toSignerKeyset(made, derived.get(made.id) as MintKeyset)
    },
    async alignAliases(unit: string, served: boolean): Promise<void> {
      await store.transaction(async (tx) => {
        const existing = await tx.listKeysets()
        for (const record of existing) {
          if (record.unit !== unit || record.aliasOf !== null || !record.id.startsWith('01')) continue
          const alias = existing.find((k) => k.aliasOf === record.id)
          const active = served && record.active
          if (!alias && served) await tx.insertKeyset(v1AliasOf(record, deriveRecord(curve, seed, record)))
          else if (alias && alias.active !== active) await tx.setKeysetActive(alias.id, active)
        }
      })
      await reload()
    },
  }
}
