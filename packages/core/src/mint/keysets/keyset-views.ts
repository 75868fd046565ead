/** NUT-01/02 responses built from the keyset ring. */
import { ErrorCode, MintError } from '../../protocol/errors.ts'
import type {
  GetKeysetsResponse,
  GetKeysResponse,
  Keyset,
  KeysetInfo,
} from '../../protocol/schemas/nut01-02.ts'
import type { KeysetRing, LoadedKeyset } from './keyset-ring.ts'

function toKeyset({ record, keyset }: LoadedKeyset): Keyset {
  return {
    id: record.id,
    unit: record.unit,
    active: record.active,
    keys: Object.fromEntries(
      [...keyset.keys].map(([amount, pair]) => [amount.toString(), pair.publicKeyHex]),
    ),
    input_fee_ppk: record.inputFeePpk,
    final_expiry: record.finalExpiry,
  }
}

/** GET /v1/keys: the active keysets. */
export function activeKeys(ring: KeysetRing): GetKeysResponse {
  return {
    keysets: ring
      .all()
      .filter((k) => k.record.active)
      .map(toKeyset),
  }
}

/** GET /v1/keys/{id}: any keyset by any name, active or not, so wallets can verify old ecash. */
export function keysById(ring: KeysetRing, id: string): GetKeysResponse {
  const found = ring.find(id.toLowerCase())
  if (!found) throw new MintError(ErrorCode.KEYSET_UNKNOWN, `keyset ${id} is not known`)
  return { keysets: [toKeyset(found)] }
}

/** For the operator: every keyset once, inactive ones too, with the `00` name it also answers to. */
export function keysetsWithNames(ring: KeysetRing): (KeysetInfo & { v1_id: string | null })[] {
  const all = ring.all()
  return all
    .filter((k) => k.record.aliasOf === null)
    .map(({ record }) => ({
      id: record.id,
      unit: record.unit,
      active: record.active,
      input_fee_ppk: record.inputFeePpk,
      final_expiry: record.finalExpiry,
      v1_id: all.find((k) => k.record.aliasOf === record.id)?.record.id ?? null,
    }))
}

/** GET /v1/keysets: every keyset, inactive ones too (tokens name them by short id). */
export function keysetList(ring: KeysetRing): GetKeysetsResponse {
  return {
    keysets: ring.all().map(({ record }) => ({
      id: record.id,
      unit: record.unit,
      active: record.active,
      input_fee_ppk: record.inputFeePpk,
      final_expiry: record.finalExpiry,
    })),
  }
}
