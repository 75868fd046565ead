/**
 * Holds on a real database: a deposit taken, part kept, the rest given back once (to the service
 * and to the payer's claim alike), expiry by the service's rule, a restart between hold and
 * settlement, and 24 settlements and claims of one hold at once on two engines: one payout.
 */
import { inputFee, type Proof } from '@cashu-mint/core/protocol'
import { outputsFor } from '@cashu-mint/core/testing'
import { FakeWallet } from '@cashu-mint/fake-wallet'
import { afterAll, describe, expect, it } from 'vitest'
import { openStore } from '../src/connect.ts'
import { createPostgresDatabase } from './databases.ts'
import { curve, type DatabaseKind, startTestMint, type TestMint, ysOf } from './mint-fixture.ts'

const total = (proofs: readonly Proof[]) => proofs.reduce((sum, p) => sum + p.amount, 0n)
const worth = (proofs: readonly Proof[]) => total(proofs) - inputFee(proofs.map(() => 100n))

describe.each<DatabaseKind>(['PGlite', 'PostgreSQL'])('holds on %s', (kind) => {
  const opened: TestMint[] = []
  afterAll(async () => {
    for (const t of opened) await t.close()
  })
  const start = async (clock?: { nowMs(): number }) => {
    const t = await startTestMint(kind, clock ? { clock } : {})
    opened.push(t)
    return t
  }

  it('takes the most, gives back the rest once: to the service, and to the payer with the claim secret', async () => {
    const t = await start()
    const proofs = await t.mintProofs(32n)
    const held = await t.mint.hold({
      proofs,
      unit: 'sat',
      max: 20n,
      ttlSeconds: 600n,
      onExpiry: 'return',
      key: 'h1',
    })
    expect(held.hold).toMatchObject({
      amount: 20n,
      state: 'held',
      kept: null,
      returned: null,
      onExpiry: 'return',
    })
    // The change beyond the most it may keep comes back at once.
    const change = 'proofs' in held.change ? held.change.proofs : []
    expect(total(change)).toBe(worth(proofs) - 20n)
    // Still held: the claim says so, and gives nothing yet.
    const early = await t.mint.claimHold({ holdId: held.hold.id, secret: held.claim })
    expect(early).toMatchObject({ hold: { state: 'held' }, proofs: [] })

    const settled = await t.mint.settleHold({ holdId: held.hold.id, keep: 3n })
    expect(settled.hold).toMatchObject({ state: 'settled', kept: 3n, returned: 17n })
    expect(total(settled.proofs)).toBe(17n)
    // Settling again, with another amount: the first settlement, the same proofs.
    const again = await t.mint.settleHold({ holdId: held.hold.id, keep: 20n })
    expect(again).toMatchObject({ replayed: true, hold: { kept: 3n, returned: 17n } })
    expect(again.proofs).toEqual(settled.proofs)
    const claimed = await t.mint.claimHold({ holdId: held.hold.id, secret: held.claim })
    expect(claimed.proofs).toEqual(settled.proofs)
    await expect(t.mint.claimHold({ holdId: held.hold.id, secret: '00'.repeat(32) })).rejects.toMatchObject({
      code: 10000,
    })
    // Holding again with the same key answers the same hold; the token is spent for anything else.
    await expect(
      t.mint.hold({ proofs, unit: 'sat', max: 20n, ttlSeconds: 600n, onExpiry: 'return', key: 'h1' }),
    ).resolves.toMatchObject({ replayed: true, hold: { id: held.hold.id, state: 'settled' } })
    await expect(t.mint.redeem({ proofs, unit: 'sat', amount: 1n })).rejects.toMatchObject({ code: 11001 })
    // What came back is real ecash, spendable once.
    const outputs = outputsFor(curve, t.keysetId, worth(settled.proofs)).outputs
    await t.mint.swap({ inputs: settled.proofs, outputs })
    const spent = await t.mint.checkState(ysOf(settled.proofs))
    expect(spent.states.every((s) => s.state === 'SPENT')).toBe(true)
  })

  it('an expired hold settles by its rule: returned in full to a claim, or kept in full', async () => {
    let now = Date.now()
    const t = await start({ nowMs: () => now })
    const giveBack = await t.mint.hold({
      proofs: await t.mintProofs(16n),
      unit: 'sat',
      max: 10n,
      ttlSeconds: 60n,
      onExpiry: 'return',
    })
    const keepAll = await t.mint.hold({
      proofs: await t.mintProofs(16n),
      unit: 'sat',
      max: 10n,
      ttlSeconds: 60n,
      onExpiry: 'keep',
    })
    now += 61_000
    const returned = await t.mint.claimHold({ holdId: giveBack.hold.id, secret: giveBack.claim })
    expect(returned.hold).toMatchObject({ state: 'settled', kept: 0n, returned: 10n })
    expect(total(returned.proofs)).toBe(10n)
    const kept = await t.mint.claimHold({ holdId: keepAll.hold.id, secret: keepAll.claim })
    expect(kept).toMatchObject({ hold: { state: 'settled', kept: 10n, returned: 0n }, proofs: [] })
  })

  it('a hold outlives a restart of the mint; after it, settling twice pays out once and the claim gets that', async () => {
    const database = kind === 'PostgreSQL' ? await createPostgresDatabase() : undefined
    const url = database?.url ?? 'memory://'
    const store = await openStore({ url })
    const lightning = new FakeWallet({ autoPayDelayMs: 20 })
    const first = await startTestMint(kind, { store, lightning })
    const held = await first.mint.hold({
      proofs: await first.mintProofs(8n),
      unit: 'sat',
      max: 7n,
      ttlSeconds: 600n,
      onExpiry: 'keep',
    })
    // The engine goes away between hold and settlement; another starts on the same database.
    await first.mint.stop()
    const second = await startTestMint(kind, { store, lightning })
    const [a, b] = await Promise.all([
      second.mint.settleHold({ holdId: held.hold.id, keep: 2n }),
      second.mint.settleHold({ holdId: held.hold.id, keep: 2n }),
    ])
    expect(a.proofs).toEqual(b.proofs)
    expect([a.replayed, b.replayed].sort()).toEqual([false, true])
    const claimed = await second.mint.claimHold({ holdId: held.hold.id, secret: held.claim })
    expect(claimed.proofs).toEqual(a.proofs)
    await second.mint.stop()
    await store.close()
    await database?.drop()
  })
})

describe('24 settlements and claims of one hold at once, on two engines (PostgreSQL)', () => {
  it('pay out once: every answer is the same ecash', async () => {
    const database = await createPostgresDatabase()
    const lightning = new FakeWallet({ autoPayDelayMs: 20 })
    const a = await startTestMint('PostgreSQL', { store: await openStore({ url: database.url }), lightning })
    const b = await startTestMint('PostgreSQL', { store: await openStore({ url: database.url }), lightning })
    try {
      const held = await a.mint.hold({
        proofs: await a.mintProofs(64n),
        unit: 'sat',
        max: 50n,
        ttlSeconds: 600n,
        onExpiry: 'return',
      })
      const answers = await Promise.all(
        Array.from({ length: 24 }, (_, i) => {
          const engine = (i % 2 ? a : b).mint
          return i % 3 === 0
            ? engine.claimHold({ holdId: held.hold.id, secret: held.claim }).then((r) => r.proofs)
            : engine.settleHold({ holdId: held.hold.id, keep: BigInt(i) }).then((r) => r.proofs)
        }),
      )
      // Claims may answer before any settlement ("still held"); every settlement's answer is the one payout.
      const payouts = new Set(
        answers.filter((p) => p.length > 0).map((p) => JSON.stringify(p.map((x) => x.C))),
      )
      expect(payouts.size).toBe(1)
      const settled = await a.mint.settleHold({ holdId: held.hold.id, keep: 0n })
      expect(settled.replayed).toBe(true)
      expect(total(settled.proofs)).toBe(settled.hold.returned)
      expect(JSON.stringify(settled.proofs.map((x) => x.C))).toBe([...payouts][0])
    } finally {
      await a.close()
      await b.close()
      await database.drop()
    }
  })
})
