import { bytesToHex, hashSecretToCurve } from '@cashu-mint/core/crypto'
import { ErrorCode, inputFee, type Proof } from '@cashu-mint/core/protocol'
import { outputsFor } from '@cashu-mint/core/testing'
import { FakeWallet } from '@cashu-mint/fake-wallet'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '../src/connect.ts'
import { createPostgresDatabase } from './databases.ts'
import { curve, errorCode, externalInvoice, startTestMint, type TestMint, waitFor } from './mint-fixture.ts'

const fee = (proofs: readonly Proof[]) => inputFee(proofs.map(() => 100n))
const total = (proofs: readonly Proof[]) => proofs.reduce((a, p) => a + p.amount, 0n)

/** Exactly one attempt succeeds and every other is refused with one of `codes`; returns how each settled. */
async function expectOneWinner(attempts: readonly Promise<unknown>[], codes: readonly number[]) {
  const results = await Promise.allSettled(attempts)
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
  const refused = (await Promise.all(attempts.map((p) => errorCode(p)))).filter((c) => c !== undefined)
  expect(refused).toHaveLength(attempts.length - 1)
  for (const code of refused) expect(codes).toContain(code)
  return results
}

describe('concurrent double spends on PostgreSQL, two engine instances', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>
  let a: TestMint
  let b: TestMint
  const lightning = new FakeWallet({ autoPayDelayMs: 20 })

  beforeAll(async () => {
    database = await createPostgresDatabase()
    a = await startTestMint('PostgreSQL', {
      store: await openStore({ url: database.url, maxConnections: 25 }),
      lightning,
    })
    b = await startTestMint('PostgreSQL', {
      store: await openStore({ url: database.url, maxConnections: 25 }),
      lightning,
    })
  })
  afterAll(async () => {
    await a.close()
    await b.close()
    await a.store.close()
    await b.store.close()
    await database.drop()
  })

  it('60 concurrent swaps of the same proofs: exactly one succeeds', async () => {
    const proofs = await a.mintProofs(100n)
    const attempts = Array.from({ length: 60 }, (_, i) =>
      (i % 2 ? a : b).mint.swap({
        inputs: proofs,
        outputs: outputsFor(curve, a.keysetId, total(proofs) - fee(proofs)).outputs,
      }),
    )
    await expectOneWinner(attempts, [ErrorCode.PROOFS_ALREADY_SPENT])
    const ys = proofs.map((p) => bytesToHex(hashSecretToCurve(curve, p.secret)))
    const stored = await a.store.findProofs(ys)
    expect(new Set(stored.map((p) => p.operationId)).size).toBe(1)
  })

  it('20 identical swaps and 20 identical mints racing (a wallet retrying): all get the one answer', async () => {
    const proofs = await a.mintProofs(100n)
    const outputs = outputsFor(curve, a.keysetId, total(proofs) - fee(proofs)).outputs
    const swaps = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).mint.swap({ inputs: proofs, outputs })),
    )
    for (const answer of swaps) expect(answer).toEqual(swaps[0])
    const signed = await a.store.findSignatures(outputs.map((o) => o.B_))
    expect(new Set(signed.map((s) => s.operationId)).size).toBe(1)

    const quote = await a.mint.createMintQuote({ amount: 64n, unit: 'sat' })
    await waitFor(async () => (await a.mint.getMintQuote(quote.quote)).state === 'PAID')
    const mintOutputs = outputsFor(curve, a.keysetId, 64n).outputs
    const mints = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).mint.mint({ quote: quote.quote, outputs: mintOutputs }),
      ),
    )
    expect(mints[0]?.signatures).toHaveLength(mintOutputs.length)
    for (const answer of mints) expect(answer).toEqual(mints[0])
  })

  it('20 identical melts racing (a wallet retrying): one pays, the others hear the quote is pending or paid', async () => {
    const proofs = await a.mintProofs(128n)
    const quote = await a.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
    const attempts = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? a : b).mint.melt({ quote: quote.quote, inputs: proofs }),
    )
    await expectOneWinner(attempts, [ErrorCode.QUOTE_PENDING, ErrorCode.INVOICE_ALREADY_PAID])
    await waitFor(async () => (await a.mint.getMeltQuote(quote.quote)).state === 'PAID')
  })

  it('60 concurrent melts and swaps racing for the same proofs: exactly one wins, the rest are refused', async () => {
    const proofs = await a.mintProofs(256n)
    const quotes = await Promise.all(
      Array.from({ length: 30 }, () =>
        a.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' }),
      ),
    )
    const melts = quotes.map((q, i) => (i % 2 ? a : b).mint.melt({ quote: q.quote, inputs: proofs }))
    const swaps = Array.from({ length: 30 }, (_, i) =>
      (i % 2 ? b : a).mint.swap({
        inputs: proofs,
        outputs: outputsFor(curve, a.keysetId, total(proofs) - fee(proofs)).outputs,
      }),
    )
    await expectOneWinner([...melts, ...swaps], [ErrorCode.PROOFS_ALREADY_SPENT, ErrorCode.PROOFS_PENDING])
    // Only the winning melt (if a melt won) left its quote; every other quote is still payable.
    const states = await Promise.all(quotes.map((q) => a.mint.getMeltQuote(q.quote)))
    expect(states.filter((s) => s.state !== 'UNPAID').length).toBeLessThanOrEqual(1)
  })

  it('50 concurrent melts of one quote with different proofs: the invoice is paid once', async () => {
    const quote = await a.mint.createMeltQuote({ request: externalInvoice(50n), unit: 'sat' })
    const wallets = await Promise.all(Array.from({ length: 50 }, () => a.mintProofs(64n)))
    const attempts = wallets.map((proofs, i) =>
      (i % 2 ? a : b).mint.melt({ quote: quote.quote, inputs: proofs }),
    )
    const results = await expectOneWinner(attempts, [ErrorCode.QUOTE_PENDING, ErrorCode.INVOICE_ALREADY_PAID])
    const losers = wallets.filter((_, i) => results[i]?.status === 'rejected').flat()
    const states = await a.mint.checkState(losers.map((p) => bytesToHex(hashSecretToCurve(curve, p.secret))))
    expect(states.states.every((s) => s.state === 'UNSPENT')).toBe(true)
  })

  it("after the races above and 40 concurrent swaps, the operator's running totals equal a recount of the rows", async () => {
    const wallets = await Promise.all(Array.from({ length: 40 }, () => a.mintProofs(64n)))
    const swaps = wallets.map((proofs, i) =>
      (i % 2 ? a : b).mint.swap({
        inputs: proofs,
        outputs: outputsFor(curve, a.keysetId, total(proofs) - fee(proofs)).outputs,
      }),
    )
    expect((await Promise.allSettled(swaps)).every((s) => s.status === 'fulfilled')).toBe(true)
    // The copy's totals are computed from its rows alone (restoring runs rebuild_ledger_totals).
    const running = await openStore({ url: database.url })
    const copy = await createPostgresDatabase()
    const recounted = await openStore({ url: copy.url })
    const sql = postgres(database.url, { max: 1, onnotice: () => undefined })
    try {
      await recounted.restoreSnapshot(await running.exportSnapshot())
      const balances = await running.reports.balances()
      expect(balances.find((k) => k.keysetId === a.keysetId)?.redeemed).toBeGreaterThan(40n * 64n)
      expect(await recounted.reports.balances()).toEqual(balances)
      const fees = await running.reports.feesEarned()
      expect(fees.sat).toBeGreaterThan(0n)
      expect(await recounted.reports.feesEarned()).toEqual(fees)
      // Written by several connections of both instances, each to its own row.
      const [row] = await sql<{ n: number }[]>`select count(distinct backend)::int as n from keyset_totals`
      expect(row?.n).toBeGreaterThan(1)
    } finally {
      await sql.end()
      await running.close()
      await recounted.close()
      await copy.drop()
    }
  })

  it('shows rows written without the running totals as drift, and corrects it while swaps run', async () => {
    const store = await openStore({ url: database.url })
    const sql = postgres(database.url, { max: 1, onnotice: () => undefined })
    const watch = postgres(database.url, { max: 1, onnotice: () => undefined })
    // Lets go of the row the corrections wait for; called in `finally` too, so a failure cannot
    // leave the transaction below open and the connections' `end()` waiting for it.
    let release = () => {}
    try {
      expect(await store.reports.ledgerDrift()).toEqual({ keysets: [], fees: [] })
      const before = await store.reports.balances()
      // A swap as an instance from before migration 0010 writes it: 8 sat in, 7 out, no totals.
      const operation = `old-${Date.now()}`
      const hex = (n: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(n))).toString('hex')
      await sql`insert into proofs (y, keyset_id, amount, secret, c, state, operation_id)
        values (${`02${hex(32)}`}, ${a.keysetId}, 8, ${hex(32)}, ${`02${hex(32)}`}, 'SPENT', ${operation})`
      await sql`insert into blind_signatures (b_, keyset_id, amount, c_, dleq_e, dleq_s, operation_id)
        values (${`02${hex(32)}`}, ${a.keysetId}, 7, ${`02${hex(32)}`}, ${hex(32)}, ${hex(32)}, ${operation})`
      const drift = {
        keysets: [{ keysetId: a.keysetId, signed: 7n, spent: 8n }],
        fees: [{ unit: 'sat', fees: 1n }],
      }
      expect(await store.reports.ledgerDrift()).toEqual(drift)

      const wallets = await Promise.all(Array.from({ length: 20 }, () => a.mintProofs(64n)))
      const swaps = wallets.map((proofs, i) =>
        (i % 2 ? a : b).mint.swap({
          inputs: proofs,
          outputs: outputsFor(curve, a.keysetId, total(proofs) - fee(proofs)).outputs,
        }),
      )
      // Two corrections at once take turns: the drift is added once. Here both reach the totals'
      // row 0 while another transaction holds it, so without taking turns both would add it.
      await sql`insert into keyset_totals (keyset_id, backend, signed, spent)
        values (${a.keysetId}, 0, 0, 0) on conflict do nothing`
      const held = new Promise<void>((resolve) => {
        release = resolve
      })
      let locked = () => {}
      const lockTaken = new Promise<void>((resolve) => {
        locked = resolve
      })
      const holding = sql.begin(async (tx) => {
        await tx`select 1 from keyset_totals where backend = 0 and keyset_id = ${a.keysetId} for update`
        locked()
        await held
      })
      // The row held before either correction starts: one that ran first would find nothing to wait for.
      await lockTaken
      const corrections = [store.reports.correctLedgerTotals(), store.reports.correctLedgerTotals()]
      expect((await Promise.allSettled(swaps)).every((s) => s.status === 'fulfilled')).toBe(true)
      await waitFor(async () => {
        const [row] = await watch<{ n: number }[]>`select count(*)::int as n from pg_stat_activity
          where wait_event_type = 'Lock' and (query like '%ledger_recount%' or query like '%advisory%')`
        return (row?.n ?? 0) >= 2
      }, 30_000)
      release()
      await holding
      const corrected = await Promise.all(corrections)
      expect(corrected).toContainEqual(drift)
      expect(corrected).toContainEqual({ keysets: [], fees: [] })
      expect(await store.reports.ledgerDrift()).toEqual({ keysets: [], fees: [] })
      const after = (await store.reports.balances()).find((k) => k.keysetId === a.keysetId)
      const was = before.find((k) => k.keysetId === a.keysetId)
      const outputs = wallets.reduce((sum, proofs) => sum + total(proofs) - fee(proofs), 0n)
      expect(after?.redeemed).toBe((was?.redeemed ?? 0n) + 8n + 20n * 64n)
      expect(after?.issued).toBe((was?.issued ?? 0n) + 7n + 20n * 64n + outputs)
    } finally {
      release()
      await watch.end()
      await sql.end()
      await store.close()
    }
  })
})
