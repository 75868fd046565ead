/**
 * Keysets other mints made (Nutshell 0.21.0 from its seed text, cdk-mintd 0.18.3 from a BIP-39
 * mnemonic), read from their databases: this mint re-derives each from the old mint's secret, under
 * the id its wallets hold, as it must when it takes that mint over.
 */
import { describe, expect, it } from 'vitest'
import { selectCurveBackend } from '../src/crypto/select-backend.ts'
import { mnemonicSeed } from '../src/keys/seed.ts'
import { DerivedKeysets } from '../src/mint/keysets/derived-keysets.ts'
import type { KeysetRecord } from '../src/mint/ports/store.ts'
import peers from './vectors/peer-keysets.json' with { type: 'json' }

const curve = selectCurveBackend('noble')

/** A peer's keyset as an import records it: paths with `m/`, a zero expiry as none. */
const recordOf = (k: (typeof peers.nutshell.keysets)[number]): KeysetRecord => ({
  id: k.id,
  unit: k.unit,
  derivationPath: k.derivation_path.startsWith('m/') ? k.derivation_path : `m/${k.derivation_path}`,
  amountCount: k.amounts,
  inputFeePpk: BigInt(k.input_fee_ppk),
  finalExpiry: k.final_expiry ? BigInt(k.final_expiry) : null,
  active: true,
  aliasOf: null,
  createdAt: 0n,
})

describe('keysets of other mints', () => {
  it.each(peers.nutshell.keysets)('Nutshell 0.21 $id ($derivation_path, fee $input_fee_ppk)', (keyset) => {
    const ring = new DerivedKeysets(curve, peers.nutshell.seed, [recordOf(keyset)])
    expect(ring.get(keyset.id)?.keys.size).toBe(64)
    expect(() => new DerivedKeysets(curve, `${peers.nutshell.seed} `, [recordOf(keyset)])).toThrow(
      `keyset ${keyset.id} does not derive from this seed`,
    )
  })

  it.each(peers.cdk.keysets)('cdk-mintd 0.18.3 $id ($derivation_path, 32 amounts)', (keyset) => {
    const seed = mnemonicSeed(peers.cdk.mnemonic)
    expect(seed.length).toBe(64)
    const ring = new DerivedKeysets(curve, seed, [recordOf(keyset)])
    expect([...(ring.get(keyset.id)?.keys.keys() ?? [])].at(-1)).toBe(2n ** 31n)
    // The mnemonic's words as text are another seed: CDK feeds its BIP-39 bytes to BIP32.
    expect(() => new DerivedKeysets(curve, peers.cdk.mnemonic, [recordOf(keyset)])).toThrow('does not derive')
  })

  it('refuses words that are not a BIP-39 mnemonic', () => {
    expect(() =>
      mnemonicSeed(
        'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon',
      ),
    ).toThrow('not a BIP-39 mnemonic')
  })
})
