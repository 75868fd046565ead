/** NUT-01 (keyset validity) and NUT-02 (keyset ids v1 and v2) test vectors. */
import { describe, expect, it } from 'vitest'
import { keysetIdV1, keysetIdV2 } from '../src/keys/keyset-id.ts'
import { Keys } from '../src/protocol/schemas/nut01-02.ts'
import nut01 from './vectors/nut01-vectors.json' with { type: 'json' }
import nut02 from './vectors/nut02-vectors.json' with { type: 'json' }

const toMap = (keys: Record<string, string>) =>
  new Map(Object.entries(keys).map(([amount, key]) => [BigInt(amount), key]))

describe('NUT-01 keysets', () => {
  it.each(nut01.invalidKeysets)('rejects a keyset whose $description', ({ keys }) => {
    expect(Keys.safeParse(keys).success).toBe(false)
  })

  it.each(nut01.validKeysets)('accepts a keyset of $description', ({ keys }) => {
    const parsed = Keys.parse(keys)
    expect(Object.keys(parsed)).toEqual(Object.keys(keys))
    // The largest amount, 2^63, does not fit a signed 64-bit integer; it must survive as a bigint.
    expect(toMap(parsed).has(2n ** 63n)).toBe(Object.keys(keys).length === 64)
    expect([...toMap(parsed).keys()].every((amount) => (amount & (amount - 1n)) === 0n)).toBe(true)
  })
})

describe('NUT-02 keyset ids', () => {
  it.each(nut02.v1)('v1 id $id', ({ id, keys }) => {
    expect(keysetIdV1(toMap(keys))).toBe(id)
  })

  it.each(nut02.v2)('v2 id $id', ({ id, keys, unit, input_fee_ppk, final_expiry }) => {
    const input = {
      keys: toMap(keys),
      unit,
      inputFeePpk: input_fee_ppk === null ? undefined : BigInt(input_fee_ppk),
      finalExpiry: final_expiry === null ? undefined : BigInt(final_expiry),
    }
    expect(keysetIdV2(input)).toBe(id)
    // Every committed field changes the id.
    expect(keysetIdV2({ ...input, unit: 'usd' })).not.toBe(id)
    expect(keysetIdV2({ ...input, inputFeePpk: (input.inputFeePpk ?? 0n) + 1n })).not.toBe(id)
  })
})
