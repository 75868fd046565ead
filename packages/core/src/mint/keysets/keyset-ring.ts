/**
 * NUT-01/02: the mint's keysets in memory: each stored record with its public keys, as the signer
 * gives them (ports/signer.ts). Old keysets stay: their ecash is still spendable and wallets still
 * fetch their keys. A v2 (`01`) keyset may have a v1 (`00`) alias with the same keys, for wallets on
 * old cashu-ts that only use `00` ids: one keyset with two names. Either name is accepted in
 * requests; the books count both under the `01` keyset.
 */
import { ErrorCode, MintError } from '../../protocol/errors.ts'
import type { KeysetRecord } from '../ports/store.ts'

/** A keyset's public keys (compressed hex) by amount. */
export interface PublicKeyset {
  id: string
  keys: ReadonlyMap<bigint, { publicKeyHex: string }>
}

export interface LoadedKeyset {
  record: KeysetRecord
  keyset: PublicKeyset
}

export class KeysetRing {
  readonly #byId = new Map<string, LoadedKeyset>()

  /** `keysOf`: the public keys of a keyset id (an alias's are its keyset's). */
  constructor(
    records: readonly KeysetRecord[],
    keysOf: (id: string) => ReadonlyMap<bigint, { publicKeyHex: string }> | undefined,
  ) {
    for (const record of records) {
      const keys = keysOf(record.aliasOf ?? record.id)
      if (!keys) throw new Error(`keyset ${record.id}: the signer has no keys for it`)
      this.#byId.set(record.id, { record, keyset: { id: record.id, keys } })
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
