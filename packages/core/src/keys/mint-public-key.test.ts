import { describe, expect, it } from 'vitest'
import { nobleBackend } from '../crypto/noble-backend.ts'
import { selectCurveBackend } from '../crypto/select-backend.ts'
import { mintPublicKey } from './mint-public-key.ts'

// Printed by Nutshell 0.21's cashu.core.crypto.keys.derive_pubkey for the same seeds.
const NUTSHELL = [
  ['TEST_PRIVATE_KEY', '0296d0aa13b6a31cf0cd974249f28c7b7176d7274712c95a41c7d8066d3f29d679'],
  ['my seed', '0332c1390260d8300ee1ebe4afeee24e584b8c5495edee6f91b44986c8e47b7362'],
] as const

describe('the NUT-06 mint public key', () => {
  it.each(NUTSHELL)('is the key Nutshell derives from seed %j, on both backends', (seed, expected) => {
    expect(mintPublicKey(selectCurveBackend('native'), seed)).toBe(expected)
    expect(mintPublicKey(nobleBackend, seed)).toBe(expected)
  })
})
