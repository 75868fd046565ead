import { describe, expect, it } from 'vitest'
import { unitDerivationIndex } from './derivation.ts'

describe('unit derivation indices', () => {
  it('keeps Nutshell’s indices for its units', () => {
    expect(['sat', 'msat', 'usd', 'eur', 'auth'].map(unitDerivationIndex)).toEqual([0, 1, 2, 3, 4])
  })

  it('gives any other unit a fixed hardened index above the reserved ones, whatever its case or spacing', () => {
    const index = unitDerivationIndex('credit')
    expect(index).toBeGreaterThanOrEqual(5)
    expect(index).toBeLessThanOrEqual(2 ** 31 - 1)
    expect(unitDerivationIndex(' Credit ')).toBe(index)
    expect(unitDerivationIndex('api')).not.toBe(index)
    // 5 + (first 4 bytes of sha256("CREDIT"), big-endian) mod (2^31 - 5), computed independently
    // with Python's hashlib; pinned so a change of formula cannot go unnoticed.
    expect(index).toBe(987_490_524)
  })
})
