/**
 * Group commit for swaps: spends made in one turn of the event loop are written as one statement,
 * and a group that fails is written again spend by spend, so each swap gets its own answer. First
 * over a recording write (what is grouped, and when), then on both real databases (what is stored).
 */
import { randomBytes } from 'node:crypto'
import { type ProofRecord, type SignatureRecord, StoreConflictError } from '@cashu-mint/core/mint'
import { describe, expect, it } from 'vitest'
import { openStore } from '../src/connect.ts'
import { groupSpends, MAX_GROUP_ROWS, type RecordSpend } from '../src/spend-groups.ts'
import { createDatabase, type DatabaseKind } from './mint-fixture.ts'

const hex = (bytes: number) => randomBytes(bytes).toString('hex')
const keysetId = `01${hex(32)}`

/** A swap's rows: `inputs` spent proofs and as many signatures, under one operation id. */
function spendOf(inputs = 2): { proofs: ProofRecord[]; signatures: SignatureRecord[] } {
  const operationId = hex(16)
  const proofs = Array.from({ length: inputs }, () => ({
    y: `02${hex(32)}`,
    keysetId,
    amount: 1n,
    secret: hex(32),
    C: `03${hex(32)}`,
    witness: null,
    state: 'SPENT' as const,
    operationId,
  }))
  const signatures = Array.from({ length: inputs }, () => ({
    B_: `02${hex(32)}`,
    keysetId,
    amount: 1n,
    C_: `03${hex(32)}`,
    dleqE: hex(32),
    dleqS: hex(32),
    operationId,
  }))
  return { proofs, signatures }
}

/** A write that records each call's operation ids and refuses any call holding a refused Y. */
function recordingWrite(refusedYs: ReadonlySet<string> = new Set()) {
  const calls: string[][] = []
  let release = Promise.resolve()
  const write: RecordSpend = async (proofs) => {
    calls.push([...new Set(proofs.map((p) => p.operationId))])
    await release
    if (proofs.some((p) => refusedYs.has(p.y))) throw new StoreConflictError('proof', 'spent')
  }
  return { write, calls, hold: (until: Promise<void>) => (release = until) }
}

describe('groupSpends over a recording write', () => {
  it('writes the spends of one turn of the event loop as one group, in arrival order', async () => {
    const { write, calls } = recordingWrite()
    const record = groupSpends(write, 1)
    const spends = Array.from({ length: 5 }, () => spendOf())
    // Each from its own callback, as requests answered in the same turn are.
    const writes = spends.map(
      (s) =>
        new Promise<void>((resolve, reject) =>
          setImmediate(() => record(s.proofs, s.signatures).then(resolve, reject)),
        ),
    )
    await Promise.all(writes)
    expect(calls).toEqual([spends.map((s) => s.proofs[0]?.operationId)])
  })

  it('keeps spends made while every writer is busy for the next group', async () => {
    const { write, calls, hold } = recordingWrite()
    const record = groupSpends(write, 1)
    const held = Promise.withResolvers<void>()
    hold(held.promise)
    const first = spendOf()
    const writingFirst = record(first.proofs, first.signatures)
    await new Promise((resolve) => setImmediate(resolve))
    const later = Array.from({ length: 3 }, () => spendOf())
    const writingLater = later.map((s) => record(s.proofs, s.signatures))
    await new Promise((resolve) => setImmediate(resolve))
    expect(calls).toHaveLength(1)
    held.resolve()
    await Promise.all([writingFirst, ...writingLater])
    expect(calls).toEqual([[first.proofs[0]?.operationId], later.map((s) => s.proofs[0]?.operationId)])
  })

  it('writes a failed group again spend by spend: only the refused spend fails', async () => {
    const spends = Array.from({ length: 4 }, () => spendOf())
    const refused = spends[2] as ReturnType<typeof spendOf>
    const { write, calls } = recordingWrite(new Set([refused.proofs[1]?.y as string]))
    const record = groupSpends(write, 1)
    const results = await Promise.allSettled(spends.map((s) => record(s.proofs, s.signatures)))
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(StoreConflictError)
    const ids = spends.map((s) => s.proofs[0]?.operationId)
    expect(calls).toEqual([ids, ...ids.map((id) => [id])])
  })

  it('refuses a number of writers with which no spend would ever be written', () => {
    const { write } = recordingWrite()
    for (const writers of [0, -1, 0.5, Number.NaN])
      expect(() => groupSpends(write, writers)).toThrow(RangeError)
  })

  it(`puts at most ${MAX_GROUP_ROWS} rows in a group`, async () => {
    const { write, calls } = recordingWrite()
    const record = groupSpends(write, 1)
    // 400 rows a spend: five fill a group, the sixth starts the next.
    const spends = Array.from({ length: 6 }, () => spendOf(200))
    await Promise.all(spends.map((s) => record(s.proofs, s.signatures)))
    expect(calls.map((ids) => ids.length)).toEqual([5, 1])
  })
})

describe.each(['PGlite', 'PostgreSQL'] as DatabaseKind[])('grouped spends on %s', (kind) => {
  it('store every swap of a group but the double spends, which are refused one by one', async () => {
    const database = await createDatabase(kind)
    const store = await openStore({ url: database.url })
    try {
      const stored = spendOf()
      await store.recordSpend(stored.proofs, stored.signatures)

      const spends = Array.from({ length: 12 }, () => spendOf())
      const spend = (i: number) => spends[i] as ReturnType<typeof spendOf>
      // 5 spends a proof that 3 spends earlier in the group; 8 signs an output that 6 signs;
      // 10 spends a proof stored before the group.
      spend(5).proofs[0] = {
        ...(spend(3).proofs[1] as ProofRecord),
        operationId: spend(5).proofs[1]?.operationId as string,
      }
      spend(8).signatures[1] = {
        ...(spend(6).signatures[0] as SignatureRecord),
        operationId: spend(8).signatures[0]?.operationId as string,
      }
      spend(10).proofs[1] = {
        ...(stored.proofs[0] as ProofRecord),
        operationId: spend(10).proofs[0]?.operationId as string,
      }

      const results = await Promise.allSettled(spends.map((s) => store.recordSpend(s.proofs, s.signatures)))
      const refused = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []))
      expect(refused).toEqual([5, 8, 10])
      const conflicts = refused.map(
        (i) => ((results[i] as PromiseRejectedResult).reason as StoreConflictError).conflict,
      )
      expect(conflicts).toEqual(['proof', 'signature', 'proof'])

      const owner = new Map(
        (await store.findProofs(spends.flatMap((s) => s.proofs.map((p) => p.y)))).map((p) => [
          p.y,
          p.operationId,
        ]),
      )
      // A refused swap stored none of its proofs; a proof it shared keeps its first owner.
      spends.forEach((s, i) => {
        const owned = s.proofs.filter((p) => owner.get(p.y) === p.operationId).length
        expect(owned).toBe(refused.includes(i) ? 0 : s.proofs.length)
      })
      const signed = await store.findSignatures(spends.flatMap((s) => s.signatures.map((x) => x.B_)))
      expect(new Set(signed.map((s) => s.operationId))).toEqual(
        new Set(spends.filter((_, i) => !refused.includes(i)).map((s) => s.proofs[0]?.operationId)),
      )
    } finally {
      await store.close()
      await database.drop()
    }
  })
})
