/** Draft NUT "Deterministic Currency Unit Indices": the BIP32 index of a unit's keyset path. */
import { sha256 } from '@noble/hashes/sha2.js'
import { describe, expect, it } from 'vitest'
import { bytesToHex, utf8ToBytes } from '../src/crypto/bytes.ts'
import { canonicalUnit, unitDerivationIndex } from '../src/keys/derivation.ts'
import vectors from './vectors/unit-index-vectors.json' with { type: 'json' }

describe('unit index vectors', () => {
  for (const vector of vectors.cases) {
    it(`${JSON.stringify(vector.input)} → ${vector.index}`, () => {
      expect(canonicalUnit(vector.input)).toBe(vector.canonical)
      if (vector.sha256_first4 !== null)
        expect(bytesToHex(sha256(utf8ToBytes(vector.canonical)).slice(0, 4))).toBe(vector.sha256_first4)
      expect(unitDerivationIndex(vector.input)).toBe(vector.index)
    })
  }
})
