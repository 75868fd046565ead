/**
 * The FakeWallet against the payment backend contract (core/testing): the unit lane's backend. Its
 * "node" is the instance, so a restart opens the same one; another FakeWallet plays the payees.
 */
import { randomBytes } from 'node:crypto'
import { decodeBolt11 } from '@cashu-mint/core/lightning'
import { describeBackendConformance, encodeBolt11 } from '@cashu-mint/core/testing'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { describe, expect, it } from 'vitest'
import { FakeWallet } from '../src/fake-wallet.ts'

const wallet = new FakeWallet({ autoPay: false, autoPayDelayMs: 0 })
const payeeKey = Uint8Array.from(randomBytes(32))

function external(amountMsat: bigint | undefined) {
  const preimage = randomBytes(32)
  const paymentHash = bytesToHex(sha256(preimage))
  const invoice = encodeBolt11({
    network: 'bitcoin',
    amountMsat,
    timestamp: BigInt(Math.floor(Date.now() / 1000)),
    expirySeconds: 600n,
    paymentHash,
    paymentSecret: bytesToHex(randomBytes(32)),
    nodeKey: payeeKey,
  })
  return { invoice, paymentHash }
}

describeBackendConformance(
  'FakeWallet',
  {
    capabilities: { mpp: true, amountless: true, replaysSettlements: false },
    open: async () => wallet,
    payInvoice: async (invoice) => wallet.settleInvoice(decodeBolt11(invoice).paymentHash),
    externalInvoice: async (amountMsat) => external(amountMsat),
    async heldInvoice(amountMsat) {
      const held = external(amountMsat)
      // The payment stays in flight until the payee settles it.
      wallet.paymentOutcome = 'PENDING'
      const end = (result: Parameters<FakeWallet['resolvePayment']>[1]) => {
        wallet.paymentOutcome = 'PAID'
        wallet.resolvePayment(held.paymentHash, result)
      }
      return {
        ...held,
        settle: async () => end({ status: 'PAID', preimage: '0'.repeat(64), feeMsat: 1000n }),
        cancel: async () => end({ status: 'FAILED', reason: 'canceled' }),
      }
    },
    // The FakeWallet pays its part whoever pays the rest.
    payPart: async () => undefined,
    timeoutMs: 5000,
  },
  { describe, it, expect },
)
