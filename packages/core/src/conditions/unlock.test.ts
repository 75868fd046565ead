import { describe, expect, it } from 'vitest'
import { assertSpendingConditions } from './spend.ts'
import { p2pkPublicKey, signLockedProofs } from './unlock.ts'

const payee = '11'.repeat(32)
const other = '22'.repeat(32)
const C = `02${'33'.repeat(32)}`
const NOW = 1_700_000_000n
interface TestProof {
  amount: bigint
  id: string
  C: string
  secret: string
  witness?: string
}
const locked = (pubkey: string, tags: string[][] = [], nonce = 'n'): TestProof => ({
  amount: 4n,
  id: '01ab',
  C,
  secret: JSON.stringify(['P2PK', { nonce, data: pubkey, tags }]),
})

describe('signing proofs locked to the payee', () => {
  it('signs its own SIG_INPUTS proofs so that the mint’s check passes', () => {
    const mine = [
      locked(p2pkPublicKey(payee)),
      locked(p2pkPublicKey(other), [['pubkeys', p2pkPublicKey(payee)]], 'm'),
    ]
    expect(() => assertSpendingConditions(mine, { outputs: [] }, NOW)).toThrow()
    const signed = signLockedProofs(mine, payee)
    expect(signed.every((p) => JSON.parse(p.witness as string).signatures.length === 1)).toBe(true)
    expect(() => assertSpendingConditions(signed, { outputs: [] }, NOW)).not.toThrow()
  })

  it('leaves plain proofs, proofs locked to others and SIG_ALL proofs as they are', () => {
    const plain: TestProof = { amount: 1n, id: '01ab', C, secret: 'a plain secret' }
    const others = locked(p2pkPublicKey(other))
    const sigAll = locked(p2pkPublicKey(payee), [['sigflag', 'SIG_ALL']])
    const malformed = { ...plain, secret: '["P2PK",{"nonce":"n","data":"not a key","tags":[]}]' }
    const proofs = [plain, others, sigAll, malformed]
    expect(signLockedProofs(proofs, payee)).toEqual(proofs)
  })
})
