import { describe, expect, it } from 'vitest'
import { nobleBackend } from '../crypto/noble-backend.ts'
import { selectCurveBackend } from '../crypto/select-backend.ts'
import { defaultDerivationPath, deriveKeysetPrivateKeys } from './derivation.ts'
import { deriveKeyset, publicKeysOf } from './keyset.ts'
import { keysetIdV1, keysetIdV2 } from './keyset-id.ts'

// Nutshell's own fixture: seed "TEST_PRIVATE_KEY" at m/0'/0'/0' is keyset 009a1f293253e41e, the id
// that appears throughout the NUT examples. Matching it shows our derivation is Nutshell's.
const NUTSHELL = { seed: 'TEST_PRIVATE_KEY', path: "m/0'/0'/0'", id: '009a1f293253e41e' }

describe.each([selectCurveBackend('native'), nobleBackend])('keyset derivation on $name', (curve) => {
  it("derives Nutshell's keyset 009a1f293253e41e from its test seed", () => {
    const keyset = deriveKeyset(curve, NUTSHELL.seed, {
      unit: 'sat',
      derivationPath: NUTSHELL.path,
      idVersion: '00',
    })
    expect(keyset.id).toBe(NUTSHELL.id)
    expect(keyset.keys.size).toBe(64)
    expect([...keyset.keys.keys()].at(-1)).toBe(2n ** 63n)
  })

  it('v2 ids commit to unit, fee and expiry', () => {
    const base = { unit: 'sat', derivationPath: NUTSHELL.path }
    const plain = deriveKeyset(curve, NUTSHELL.seed, base)
    expect(plain.id).toMatch(/^01[0-9a-f]{64}$/)
    expect(plain.id).toBe(keysetIdV2({ keys: publicKeysOf(plain), unit: 'sat' }))
    // Nutshell >= 0.20 gives this keyset this v2 id.
    expect(plain.id).toBe('01d8a63077d0a51f9855f066409782ffcb322dc8a2265291865221ed06c039f6bc')
    const ids = [
      plain.id,
      deriveKeyset(curve, NUTSHELL.seed, { ...base, unit: 'usd' }).id,
      deriveKeyset(curve, NUTSHELL.seed, { ...base, inputFeePpk: 100n }).id,
      deriveKeyset(curve, NUTSHELL.seed, { ...base, finalExpiry: 1_900_000_000n }).id,
    ]
    expect(new Set(ids).size).toBe(4)
    expect(deriveKeyset(curve, NUTSHELL.seed, { ...base, inputFeePpk: 0n }).id).toBe(plain.id)
  })
})

describe('derivation paths and seeds', () => {
  it('different paths and seeds give different keys; the same inputs the same keys', () => {
    const a = deriveKeysetPrivateKeys('seed one', defaultDerivationPath(0, 0), 4)
    expect(deriveKeysetPrivateKeys('seed one', defaultDerivationPath(0, 0), 4)).toEqual(a)
    expect(deriveKeysetPrivateKeys('seed one', defaultDerivationPath(0, 1), 4)).not.toEqual(a)
    expect(deriveKeysetPrivateKeys('seed two', defaultDerivationPath(0, 0), 4)).not.toEqual(a)
  })

  it('accepts seeds of any length, as Nutshell does', () => {
    expect(deriveKeysetPrivateKeys('x', "m/0'", 1)).toHaveLength(1)
    expect(deriveKeysetPrivateKeys('y'.repeat(200), "m/0'", 1)).toHaveLength(1)
  })

  it('rejects bad paths, empty seeds and amount counts outside 1..64', () => {
    expect(() => deriveKeysetPrivateKeys('s', "0'/1'", 1)).toThrow(/derivation path/)
    expect(() => deriveKeysetPrivateKeys('s', "m/2147483648'", 1)).toThrow(/out of range/)
    expect(() => deriveKeysetPrivateKeys('', "m/0'", 1)).toThrow(/empty/)
    expect(() => deriveKeysetPrivateKeys('s', "m/0'", 65)).toThrow(/1 to 64/)
  })

  it('v1 ids sort keys by amount as integers, not strings', () => {
    const keys = new Map([
      [16n, `02${'a'.repeat(64)}`],
      [2n, `02${'b'.repeat(64)}`],
    ])
    const reversed = new Map([...keys].reverse())
    expect(keysetIdV1(keys)).toBe(keysetIdV1(reversed))
  })
})
