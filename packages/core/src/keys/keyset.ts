/**
 * NUT-01/02: a mint keyset: one key pair per amount 2^0 .. 2^(n-1), a unit, an input fee and an
 * optional final expiry, named by an id derived from all of these. Public keys are kept
 * uncompressed too, so signing never decompresses the mint's own key (see bdhke.ts).
 */
import { bytesToHex } from '../crypto/bytes.ts'
import { type CurveBackend, compressPoint } from '../crypto/curve-backend.ts'
import { deriveKeysetPrivateKeys } from './derivation.ts'
import { deriveKeysetId, type KeysetIdVersion } from './keyset-id.ts'
import type { MintSeed } from './seed.ts'

export interface KeyPair {
  privateKey: Uint8Array
  /** Uncompressed, for signing. */
  publicKey: Uint8Array
  /** Compressed hex, as published. */
  publicKeyHex: string
}

export interface KeysetOptions {
  unit: string
  derivationPath: string
  /** How many amounts (powers of two) the keyset signs: 1..64, default 64 (every u64 amount). */
  amountCount?: number
  inputFeePpk?: bigint
  /** Unix seconds after which the keyset's ecash is void (NUT-02). */
  finalExpiry?: bigint | undefined
  /** Id version: `01` (current) by default, `00` for wallets that only know v1 ids. */
  idVersion?: KeysetIdVersion
}

export interface MintKeyset {
  id: string
  unit: string
  derivationPath: string
  inputFeePpk: bigint
  finalExpiry: bigint | undefined
  keys: ReadonlyMap<bigint, KeyPair>
}

/** Derives a keyset from the seed; deterministic, so the same inputs always give the same id and keys. */
export function deriveKeyset(curve: CurveBackend, seed: MintSeed, options: KeysetOptions): MintKeyset {
  const inputFeePpk = options.inputFeePpk ?? 0n
  if (inputFeePpk < 0n) throw new RangeError('input_fee_ppk must not be negative')
  const privateKeys = deriveKeysetPrivateKeys(seed, options.derivationPath, options.amountCount ?? 64)
  const keys = new Map<bigint, KeyPair>()
  privateKeys.forEach((privateKey, i) => {
    const publicKey = curve.multiplyBase(privateKey)
    keys.set(1n << BigInt(i), { privateKey, publicKey, publicKeyHex: bytesToHex(compressPoint(publicKey)) })
  })
  const id = deriveKeysetId(options.idVersion ?? '01', {
    keys: publicKeysOf({ keys }),
    unit: options.unit,
    inputFeePpk,
    finalExpiry: options.finalExpiry,
  })
  return {
    id,
    unit: options.unit,
    derivationPath: options.derivationPath,
    inputFeePpk,
    finalExpiry: options.finalExpiry,
    keys,
  }
}

/** Public keys by amount, compressed hex. */
export function publicKeysOf(keyset: Pick<MintKeyset, 'keys'>): Map<bigint, string> {
  return new Map([...keyset.keys].map(([amount, pair]) => [amount, pair.publicKeyHex]))
}
