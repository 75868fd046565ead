import { randomBytes } from 'node:crypto'
import { bytesToHex } from '@cashu-mint/core/crypto'
import { encodeBolt11 } from '@cashu-mint/core/testing'
import { describe, expect, it } from 'vitest'
import { DEFAULT_OPENING_BALANCE_MSAT, FakeWallet } from './index.ts'

function payment(amountMsat: bigint) {
  const paymentHash = bytesToHex(randomBytes(32))
  const invoice = encodeBolt11({
    network: 'bitcoin',
    amountMsat,
    timestamp: BigInt(Math.floor(Date.now() / 1000)),
    expirySeconds: 3600n,
    paymentHash,
    paymentSecret: bytesToHex(randomBytes(32)),
    nodeKey: Uint8Array.from(randomBytes(32)),
  })
  return { quoteId: 'q', invoice, paymentHash, amountMsat, maxFeeMsat: amountMsat }
}

describe('FakeWallet balance', () => {
  it('opens with 0.1 BTC, adds what its invoices receive and takes what it pays with the fee', async () => {
    const wallet = new FakeWallet({ autoPayDelayMs: 0 })
    expect(await wallet.balance()).toBe(DEFAULT_OPENING_BALANCE_MSAT)
    expect(DEFAULT_OPENING_BALANCE_MSAT).toBe(10_000_000_000n)
    const { paymentHash } = await wallet.createInvoice({ amountMsat: 5_000_000n, expirySeconds: 600 })
    wallet.settleInvoice(paymentHash)
    expect(await wallet.balance()).toBe(10_005_000_000n)
    const paid = await wallet.pay(payment(2_000_000n))
    expect(paid).toMatchObject({ status: 'PAID', feeMsat: 10_000n })
    expect(await wallet.balance()).toBe(10_005_000_000n - 2_010_000n)
  })

  it('refuses a payment it cannot cover, as a node without the funds would, and keeps its balance', async () => {
    const wallet = new FakeWallet({ autoPayDelayMs: 0, openingBalanceMsat: 1_000_000n })
    expect(await wallet.pay(payment(1_000_000n))).toEqual({
      status: 'FAILED',
      reason: 'insufficient balance',
    })
    expect(await wallet.balance()).toBe(1_000_000n)
    const paid = await wallet.pay(payment(990_000n))
    expect(paid).toEqual({ status: 'PAID', preimage: '0'.repeat(64), feeMsat: 4_950n })
    expect(await wallet.balance()).toBe(1_000_000n - 990_000n - 4_950n)
  })
})
