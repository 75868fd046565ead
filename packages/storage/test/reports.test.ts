/**
 * The operator's figures from a real engine on both databases: outstanding ecash per keyset,
 * fees earned from swaps, melts and redemptions, flows per hour (refunds count as issued) and
 * pending melts.
 */
import { inputFee, stringifyJson } from '@cashu-mint/core/protocol'
import { outputsFor } from '@cashu-mint/core/testing'
import { describe, expect, it } from 'vitest'
import { openStore } from '../src/connect.ts'
import { createDatabase, curve, type DatabaseKind, externalInvoice, startTestMint } from './mint-fixture.ts'

describe.each(['PGlite', 'PostgreSQL'] as DatabaseKind[])('reports on %s', (kind) => {
  it('add up issuance, redemption and fees', async () => {
    const database = await createDatabase(kind)
    const store = await openStore({ url: database.url })
    // The `00` alias served too, as for wallets that only know v1 keyset ids.
    const t = await startTestMint(kind, {
      store,
      keysets: [{ unit: 'sat', inputFeePpk: 100n, withV1Alias: true }],
    })
    try {
      const minted = await t.mintProofs(1000n) // keyset fee: 100 ppk
      const swapFee = inputFee(minted.map(() => 100n))
      const swapped = await t.mint.swap({
        inputs: minted,
        outputs: outputsFor(curve, t.keysetId, 1000n - swapFee).outputs,
      })
      expect(swapped.signatures.length).toBeGreaterThan(0)
      const balances = await store.reports.balances()
      const active = balances.find((b) => b.keysetId === t.keysetId)
      // 1000 signed by the mint, then 1000 - fee signed by the swap; 1000 spent by the swap.
      expect(active).toMatchObject({ unit: 'sat', issued: 2000n - swapFee, redeemed: 1000n })
      expect(active?.outstanding).toBe(1000n - swapFee)
      expect((await store.reports.feesEarned()).sat).toBe(swapFee)

      // Signed under the keyset's v1 (`00`) alias, spent under its own id: one keyset in the report.
      const alias = (await store.listKeysets()).find((k) => k.aliasOf === t.keysetId)?.id as string
      expect(alias).toMatch(/^00/)
      const aliased = await t.mintProofs(400n)
      const aliasFee = inputFee(aliased.map(() => 100n))
      const aliasOutputs = outputsFor(curve, alias, 400n - aliasFee).outputs
      expect((await t.mint.swap({ inputs: aliased, outputs: aliasOutputs })).signatures).toHaveLength(
        aliasOutputs.length,
      )
      const afterAlias = await store.reports.balances()
      expect(afterAlias.map((b) => b.keysetId)).not.toContain(alias)
      expect(afterAlias.find((b) => b.keysetId === t.keysetId)).toMatchObject({
        issued: 2000n - swapFee + 800n - aliasFee,
        redeemed: 1400n,
        outstanding: 1000n - swapFee + 400n - aliasFee,
      })
      expect((await store.reports.feesEarned()).sat).toBe(swapFee + aliasFee)

      const proofs = await t.mintProofs(300n)
      const quote = await t.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
      await t.mint.melt({ quote: quote.quote, inputs: proofs })
      const meltFee = inputFee(proofs.map(() => 100n))
      expect((await store.reports.feesEarned()).sat).toBe(swapFee + aliasFee + meltFee)
      expect(await store.reports.pendingMelts()).toBe(0)

      // Redeemed as payment of 50, then refunded: the refund is new ecash, swappable once.
      const paying = await t.mintProofs(200n)
      const redeemed = await t.mint.redeem({ proofs: paying, unit: 'sat', amount: 50n, key: 'order 1' })
      const { receipt } = redeemed
      const redeemFee = inputFee(paying.map(() => 100n))
      expect(receipt).toMatchObject({ amount: 50n, fee: redeemFee, change: 150n - redeemFee })
      const refund = await t.mint.refund({ receiptId: receipt.id, reason: 'not delivered' })
      expect(refund.refund).toMatchObject({ receiptId: receipt.id, amount: 50n, reason: 'not delivered' })
      expect(refund.proofs.reduce((a, p) => a + p.amount, 0n)).toBe(50n)
      const again = await t.mint.refund({ receiptId: receipt.id })
      expect(again).toEqual({ ...refund, replayed: true })
      // The change and refund proofs the mint made: the same on a retry, and not in the database.
      const retried = await t.mint.redeem({ proofs: paying, unit: 'sat', amount: 50n, key: 'order 1' })
      expect(retried).toEqual({ ...redeemed, replayed: true })
      const made = [...refund.proofs, ...('proofs' in redeemed.change ? redeemed.change.proofs : [])]
      expect(made.length).toBeGreaterThan(refund.proofs.length)
      const dump = stringifyJson(await store.exportSnapshot())
      for (const proof of made) expect(dump).not.toContain(proof.secret)
      const refundFee = inputFee(refund.proofs.map(() => 100n))
      const outputs = outputsFor(curve, t.keysetId, 50n - refundFee).outputs
      expect((await t.mint.swap({ inputs: refund.proofs, outputs })).signatures).toHaveLength(outputs.length)
      expect((await store.reports.feesEarned()).sat).toBe(
        swapFee + aliasFee + meltFee + redeemFee + refundFee,
      )
      const flows = await store.reports.flows(0n)
      expect(flows.reduce((a, f) => a + f.issued, 0n)).toBe(1300n + 400n + 200n + 50n)
      expect(flows.reduce((a, f) => a + f.redeemed, 0n)).toBe(100n + 50n)
      expect((await store.reports.recentMeltQuotes(5))[0]?.id).toBe(quote.quote)
      // Every write kept the running totals: a recount of the rows agrees with them.
      expect(await store.reports.ledgerDrift()).toEqual({ keysets: [], fees: [] })
      expect(await store.reports.correctLedgerTotals()).toEqual({ keysets: [], fees: [] })

      // A copy restored from a snapshot computes its totals from its rows alone: the same figures.
      const copy = await createDatabase(kind)
      const restored = await openStore({ url: copy.url })
      try {
        await restored.restoreSnapshot(await store.exportSnapshot())
        expect(await restored.reports.balances()).toEqual(await store.reports.balances())
        expect(await restored.reports.feesEarned()).toEqual(await store.reports.feesEarned())
      } finally {
        await restored.close()
        await copy.drop()
      }
    } finally {
      await t.close()
      await store.close()
      await database.drop()
    }
  })
})
