import type { MintStore, MintStoreTx } from '@cashu-mint/core/mint'
import { inputFee, type Proof } from '@cashu-mint/core/protocol'
import { blindOutputs, outputsFor } from '@cashu-mint/core/testing'
import { FakeWallet } from '@cashu-mint/fake-wallet'
import { afterEach, describe, expect, it } from 'vitest'
import { openStore } from '../src/connect.ts'
import {
  createDatabase,
  curve,
  type Database,
  type DatabaseKind,
  externalInvoice,
  startTestMint,
  type TestMint,
  waitFor,
  ysOf,
} from './mint-fixture.ts'

class Crash extends Error {}

/**
 * The store with a crash at the first call of `step` (anywhere, in or out of transactions): before
 * the call reaches the database, or just after it did (the process died before it could answer).
 */
function crashAt(
  store: MintStore,
  step: keyof MintStoreTx,
  when: 'before' | 'after' = 'before',
): MintStore & { crashed: () => boolean } {
  let armed = true
  const wrap = <T extends object>(target: T): T =>
    Object.fromEntries(
      Object.entries(target).map(([name, value]) => [
        name,
        typeof value !== 'function'
          ? value
          : async (...args: unknown[]) => {
              if (!armed || name !== step) return value(...args)
              armed = false
              if (when === 'after') await value(...args)
              throw new Crash(`crash ${when} ${name}`)
            },
      ]),
    ) as T
  return {
    ...wrap(store),
    transaction: (work) => store.transaction((tx) => work(wrap(tx))),
    close: () => store.close(),
    crashed: () => !armed,
  }
}

const total = (proofs: readonly Proof[]) => proofs.reduce((a, p) => a + p.amount, 0n)

describe.each<DatabaseKind>(['PGlite', 'PostgreSQL'])('crash and restart on %s', (kind) => {
  let database: Database
  let store: MintStore
  const running: TestMint[] = []
  afterEach(async () => {
    for (const t of running.splice(0)) await t.close()
    await store.close()
    await database.drop()
  })

  /** A mint whose store crashes at `step`, and a way to restart on the same database and node. */
  async function setUp(step: keyof MintStoreTx, when: 'before' | 'after' = 'before') {
    database = await createDatabase(kind)
    store = await openStore({ url: kind === 'PGlite' ? 'memory://' : database.url })
    const lightning = new FakeWallet({ autoPayDelayMs: 20 })
    const faulty = crashAt(store, step, when)
    const healthy = await startTestMint(kind, { store, lightning })
    running.push(healthy)
    const crashing = await startTestMint(kind, { store: faulty, lightning })
    running.push(crashing)
    const restart = async () => {
      await crashing.mint.stop()
      // Restarted a while later: the failed-payment grace period has passed.
      const next = await startTestMint(kind, {
        store,
        lightning,
        clock: { nowMs: () => Date.now() + 120_000 },
      })
      running.push(next)
      return next
    }
    return { healthy, crashing, restart, faulty, lightning }
  }

  it('swap: a crash before its write leaves the inputs unspent', async () => {
    const { healthy, crashing, restart, faulty } = await setUp('recordSpend')
    const proofs = await healthy.mintProofs(32n)
    const outputs = outputsFor(curve, healthy.keysetId, 32n - inputFee(proofs.map(() => 100n)))
    await expect(crashing.mint.swap({ inputs: proofs, outputs: outputs.outputs })).rejects.toThrow(Crash)
    expect(faulty.crashed()).toBe(true)
    const after = await restart()
    expect((await after.mint.checkState(ysOf(proofs))).states.every((s) => s.state === 'UNSPENT')).toBe(true)
    expect((await after.mint.restore(outputs.outputs)).signatures).toEqual([])
    const swapped = await after.mint.swap({ inputs: proofs, outputs: outputs.outputs })
    expect(swapped.signatures).toHaveLength(outputs.outputs.length)
    // Had that answer been lost too, the retry gets the same signatures, also after a restart.
    const again = await restart()
    expect(await again.mint.swap({ inputs: proofs, outputs: outputs.outputs })).toEqual(swapped)
  })

  it('swap: a crash right after its write leaves the swap done, and the retry gets its signatures', async () => {
    const { healthy, crashing, restart } = await setUp('recordSpend', 'after')
    const proofs = await healthy.mintProofs(32n)
    const outputs = outputsFor(curve, healthy.keysetId, 32n - inputFee(proofs.map(() => 100n)))
    await expect(crashing.mint.swap({ inputs: proofs, outputs: outputs.outputs })).rejects.toThrow(Crash)
    const after = await restart()
    expect((await after.mint.checkState(ysOf(proofs))).states.every((s) => s.state === 'SPENT')).toBe(true)
    const stored = (await after.mint.restore(outputs.outputs)).signatures
    expect(stored).toHaveLength(outputs.outputs.length)
    expect((await after.mint.swap({ inputs: proofs, outputs: outputs.outputs })).signatures).toEqual(stored)
  })

  it('refund: a crash while signing leaves the receipt unrefunded, and the retry refunds it once', async () => {
    const { healthy, crashing, restart } = await setUp('insertSignatures')
    const proofs = await healthy.mintProofs(64n)
    const { receipt } = await healthy.mint.redeem({ proofs, unit: 'sat', amount: 20n })
    await expect(crashing.mint.refund({ receiptId: receipt.id })).rejects.toThrow(Crash)
    expect(await store.findRefund(receipt.id)).toBeUndefined()
    const after = await restart()
    const refund = await after.mint.refund({ receiptId: receipt.id })
    expect(refund.replayed).toBe(false)
    expect(total(refund.proofs)).toBe(20n)
    expect(await after.mint.refund({ receiptId: receipt.id })).toEqual({ ...refund, replayed: true })
  })

  it('mint: a crash while issuing leaves the quote PAID and mintable', async () => {
    const { crashing, restart } = await setUp('insertSignatures')
    const quote = await crashing.mint.createMintQuote({ amount: 16n, unit: 'sat' })
    await waitFor(async () => (await crashing.mint.getMintQuote(quote.quote)).state === 'PAID')
    const outputs = outputsFor(curve, crashing.keysetId, 16n).outputs
    await expect(crashing.mint.mint({ quote: quote.quote, outputs })).rejects.toThrow(Crash)
    const after = await restart()
    expect((await after.mint.getMintQuote(quote.quote)).state).toBe('PAID')
    expect((await after.mint.mint({ quote: quote.quote, outputs })).signatures).toHaveLength(outputs.length)
  })

  it('melt: a crash while reserving leaves nothing reserved', async () => {
    const { healthy, crashing, restart } = await setUp('insertMeltSaga')
    const proofs = await healthy.mintProofs(128n)
    const quote = await crashing.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
    await expect(crashing.mint.melt({ quote: quote.quote, inputs: proofs })).rejects.toThrow(Crash)
    const after = await restart()
    expect((await after.mint.getMeltQuote(quote.quote)).state).toBe('UNPAID')
    expect((await after.mint.checkState(ysOf(proofs))).states.every((s) => s.state === 'UNSPENT')).toBe(true)
  })

  it('melt: reserved but never paid (crash before the payment) is released at restart', async () => {
    const { healthy, crashing, restart, lightning } = await setUp('markProofsSpent')
    const proofs = await healthy.mintProofs(128n)
    const quote = await crashing.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
    // The call to the node is lost before it is sent: the node never starts the payment.
    lightning.paymentOutcome = 'ERROR'
    expect((await crashing.mint.melt({ quote: quote.quote, inputs: proofs })).state).toBe('PENDING')
    lightning.paymentOutcome = 'PAID'
    const after = await restart()
    expect((await after.mint.getMeltQuote(quote.quote)).state).toBe('UNPAID')
    expect((await after.mint.checkState(ysOf(proofs))).states.every((s) => s.state === 'UNSPENT')).toBe(true)
  })

  it('melt: paid, then a crash while recording it: restart settles it with change', async () => {
    const { healthy, crashing, restart } = await setUp('markProofsSpent')
    const proofs = await healthy.mintProofs(128n)
    const quote = await crashing.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
    const blanks = blindOutputs(curve, crashing.keysetId, [1n, 1n, 1n, 1n, 1n])
    await expect(
      crashing.mint.melt({ quote: quote.quote, inputs: proofs, outputs: blanks.outputs }),
    ).rejects.toThrow(Crash)
    expect((await healthy.mint.checkState(ysOf(proofs))).states.every((s) => s.state === 'PENDING')).toBe(
      true,
    )
    const after = await restart()
    const settled = await after.mint.getMeltQuote(quote.quote)
    expect(settled.state).toBe('PAID')
    expect((await after.mint.checkState(ysOf(proofs))).states.every((s) => s.state === 'SPENT')).toBe(true)
    const change = (await after.mint.restore(blanks.outputs)).signatures
    expect(total(change as unknown as Proof[])).toBe(128n - 1n - 100n - 1n)
    expect(settled.change).toEqual(change)
  })

  it('melt: failed, then a crash while releasing: restart releases the proofs', async () => {
    const { healthy, crashing, restart, lightning } = await setUp('deletePendingProofs')
    const proofs = await healthy.mintProofs(128n)
    const quote = await crashing.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
    lightning.paymentOutcome = 'FAILED'
    await expect(crashing.mint.melt({ quote: quote.quote, inputs: proofs })).rejects.toThrow(Crash)
    expect((await healthy.mint.checkState(ysOf(proofs))).states.every((s) => s.state === 'PENDING')).toBe(
      true,
    )
    const after = await restart()
    expect((await after.mint.getMeltQuote(quote.quote)).state).toBe('UNPAID')
    expect((await after.mint.checkState(ysOf(proofs))).states.every((s) => s.state === 'UNSPENT')).toBe(true)
  })
})
