/**
 * A melt whose payment is in flight (node B holds it) when the mint is killed with SIGKILL: after the
 * restart the quote and the proofs stay PENDING until the payee decides, then follow what the
 * backend reports: PAID with the preimage and the proofs spent, or UNPAID with the proofs released
 * and good again. Shared by every backend's regtest suite.
 */
import { createHash, randomBytes } from 'node:crypto'
import { getEncodedToken, type Proof, Wallet } from '@cashu/cashu-ts'
import { cancelHodlInvoice, createHodlInvoice, getInvoice, settleHodlInvoice } from 'lightning'
import { expect } from 'vitest'
import { type RegtestNetwork, until } from './regtest-network.ts'

export async function meltAcrossACrash(options: {
  network: RegtestNetwork
  /** A loaded wallet of the unit, and proofs of it worth more than the melt. */
  wallet: Wallet
  proofs: Proof[]
  /** The invoice's amount, in the unit, and what it is worth in msat. */
  amount: number
  amountMsat: bigint
  outcome: 'settles' | 'cancels'
  /** Kills the mint with SIGKILL, starts it again, and answers its URL. */
  crash: () => Promise<string>
}): Promise<void> {
  const { network, wallet, outcome } = options
  const unit = wallet.unit
  const secret = randomBytes(32)
  const id = createHash('sha256').update(secret).digest('hex')
  const held = await createHodlInvoice({ lnd: network.b.lnd, id, mtokens: options.amountMsat.toString() })
  const quote = await wallet.createMeltQuoteBolt11(held.request)
  const { send } = await wallet.send(options.amount + Number(quote.fee_reserve.toBigInt()), options.proofs, {
    includeFees: true,
  })
  const melting = wallet.meltProofsBolt11(quote, send).catch((error: Error) => error)
  await until(
    'node B to hold the payment',
    async () => (await getInvoice({ lnd: network.b.lnd, id })).is_held,
  )
  const url = await options.crash()
  // cashu-ts retries a melt whose connection broke (NUT-19) for a few seconds, until a mint answers
  // (the restarted one says the quote is pending) or it gives up. Waiting for that keeps a late
  // retry from melting the released proofs again after node B has cancelled.
  expect(await melting).toBeInstanceOf(Error)
  const restarted = new Wallet(url, { unit, requireSigDleq: true })
  await restarted.loadMint()
  // In flight: nothing is released while the backend cannot say how the payment ended.
  expect((await restarted.checkMeltQuoteBolt11(quote.quote)).state).toBe('PENDING')
  expect((await restarted.checkProofsStates(send)).every((s) => s.state === 'PENDING')).toBe(true)
  if (outcome === 'settles') {
    await settleHodlInvoice({ lnd: network.b.lnd, secret: secret.toString('hex') })
    const paid = await until('the melt to be paid', async () => {
      const state = await restarted.checkMeltQuoteBolt11(quote.quote)
      return state.state === 'PAID' ? state : undefined
    })
    expect(paid.payment_preimage).toBe(secret.toString('hex'))
    expect((await restarted.checkProofsStates(send)).every((s) => s.state === 'SPENT')).toBe(true)
  } else {
    await cancelHodlInvoice({ lnd: network.b.lnd, id })
    await until('the melt to be released', async () => {
      return (await restarted.checkMeltQuoteBolt11(quote.quote)).state === 'UNPAID'
    })
    expect((await restarted.checkProofsStates(send)).every((s) => s.state === 'UNSPENT')).toBe(true)
    // The released proofs are good again.
    const back = await restarted.receive(getEncodedToken({ mint: url, unit, proofs: send }))
    expect(back.reduce((sum, p) => sum + p.amount.toBigInt(), 0n)).toBeGreaterThan(0n)
  }
}
