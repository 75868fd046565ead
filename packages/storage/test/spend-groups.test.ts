/**
 * Group commit for swaps: spends made in one turn of the event loop are written as one statement,
 * and a group that fails is written again spend by spend, so each swap gets its own answer. First
 * over a recording write (what is grouped, and when), then on both real databases (what is stored).
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ProofRecord, type SignatureRecord, StoreConflictError } from '@cashu-mint/core/mint'
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { openStore } from '../src/connect.ts'
import { openPglite } from '../src/pglite-folder.ts'
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

  it('writes a group refused on a key again by halves: only the double spend fails, in few statements', async () => {
    const spends = Array.from({ length: 4 }, () => spendOf())
    const refused = spends[2] as ReturnType<typeof spendOf>
    const { write, calls } = recordingWrite(new Set([refused.proofs[1]?.y as string]))
    const record = groupSpends(write, 1)
    const results = await Promise.allSettled(spends.map((s) => record(s.proofs, s.signatures)))
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(StoreConflictError)
    const [a, b, c, d] = spends.map((s) => s.proofs[0]?.operationId)
    expect(calls).toEqual([[a, b, c, d], [a, b], [c, d], [c], [d]])
  })

  it('writes a group that failed for another reason again spend by spend, all at once', async () => {
    // The group is stored, then the connection drops before the answer: each swap written again
    // is refused by its keys, which the engine answers with the stored signatures.
    const stored = new Set<string>()
    const calls: number[] = []
    let inFlight = 0
    let mostInFlight = 0
    const write: RecordSpend = async (proofs) => {
      calls.push(new Set(proofs.map((p) => p.operationId)).size)
      inFlight++
      mostInFlight = Math.max(mostInFlight, inFlight)
      await new Promise((resolve) => setImmediate(resolve))
      inFlight--
      if (proofs.some((p) => stored.has(p.y))) throw new StoreConflictError('proof', 'spent')
      for (const p of proofs) stored.add(p.y)
      if (calls.length === 1) throw new Error('connection lost')
    }
    const record = groupSpends(write, 1)
    const spends = Array.from({ length: 3 }, () => spendOf())
    const results = await Promise.allSettled(spends.map((s) => record(s.proofs, s.signatures)))
    expect(
      results.map((r) => (r.status === 'rejected' ? (r.reason as StoreConflictError).conflict : 'stored')),
    ).toEqual(['proof', 'proof', 'proof'])
    expect(calls).toEqual([3, 1, 1, 1])
    expect(mostInFlight).toBe(3)
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

/** How many transactions wrote the rows of both tables (PostgreSQL's xmin), read after the store is closed. */
async function writingTransactions(kind: DatabaseKind, url: string): Promise<number> {
  const query =
    'select count(distinct xmin::text)::int as n from (select xmin from proofs union all select xmin from blind_signatures) rows'
  if (kind === 'PostgreSQL') {
    const sql = postgres(url, { max: 1, onnotice: () => undefined })
    const [row] = await sql.unsafe<{ n: number }[]>(query)
    await sql.end()
    return row?.n as number
  }
  const { client } = openPglite(url)
  const { rows } = await client.query<{ n: number }>(query)
  await client.close()
  return rows[0]?.n as number
}

describe.each(['PGlite', 'PostgreSQL'] as DatabaseKind[])('grouped spends on %s', (kind) => {
  it('store the swaps of one turn in one transaction', async () => {
    const database =
      kind === 'PGlite'
        ? { url: join(await mkdtemp(join(tmpdir(), 'spend-groups-')), 'db'), drop: async () => undefined }
        : await createDatabase(kind)
    const store = await openStore({ url: database.url })
    const spends = Array.from({ length: 12 }, () => spendOf())
    try {
      await Promise.all(spends.map((s) => store.recordSpend(s.proofs, s.signatures)))
      const stored = await store.findProofs(spends.flatMap((s) => s.proofs.map((p) => p.y)))
      expect(stored).toHaveLength(24)
    } finally {
      await store.close()
    }
    expect(await writingTransactions(kind, database.url)).toBe(1)
    await database.drop()
  })

  it('store every swap of a group but the double spends, each refused on its own', async () => {
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
