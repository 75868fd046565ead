/**
 * NUT-11 (P2PK, SIG_INPUTS and SIG_ALL, multisig, locktime, refund) and NUT-14 (HTLC) test vectors
 * from tests/11-test.md, checked through the mint's spending-condition verification.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { describe, expect, it } from 'vitest'
import { sigAllMessage } from '../src/conditions/sig-all.ts'
import { assertSpendingConditions } from '../src/conditions/spend.ts'
import { bytesToHex, utf8ToBytes } from '../src/crypto/bytes.ts'
import vectors from './vectors/nut11-vectors.json' with { type: 'json' }

const NOW = BigInt(Math.floor(Date.now() / 1000))

interface Request {
  quote?: string
  inputs: { secret: string; C: string; witness?: string }[]
  outputs: { amount: number; B_: string }[]
}

const outputsOf = (request: Request) => request.outputs.map((o) => ({ amount: BigInt(o.amount), B_: o.B_ }))

function spends(request: Request): boolean {
  try {
    assertSpendingConditions(request.inputs, { outputs: outputsOf(request), quoteId: request.quote }, NOW)
    return true
  } catch {
    return false
  }
}

describe('NUT-11/14 vectors', () => {
  it.each(vectors.proofs)('proof: $description', ({ proof, valid }) => {
    expect(spends({ inputs: [proof], outputs: [] })).toBe(valid)
  })

  it.each([
    ['swap', vectors.sigAllSwapMessage],
    ['melt', vectors.sigAllMeltMessage],
  ] as const)('SIG_ALL message of a %s, and its SHA-256', (_, { request, message, sha256: digest }) => {
    const ours = sigAllMessage({
      inputs: request.inputs,
      outputs: outputsOf(request),
      quoteId: (request as Request).quote,
    })
    expect(ours).toBe(message)
    expect(bytesToHex(sha256(utf8ToBytes(ours)))).toBe(digest)
  })

  it.each(vectors.swapRequests)('swap: $description', ({ request, valid }) => {
    expect(spends(request)).toBe(valid)
  })

  it.each(vectors.meltRequests)('melt: $description', ({ request, valid }) => {
    expect(spends(request)).toBe(valid)
    // The quote id is part of the signed message: the same inputs for another quote do not spend.
    expect(spends({ ...request, quote: `${request.quote}x` })).toBe(false)
  })
})
