import type { MintEvent } from '@cashu-mint/core/mint'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EventChannel, openEventChannel } from '../src/event-channel.ts'
import { createPostgresDatabase } from './databases.ts'

const ys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

describe('event channel between instances (PostgreSQL LISTEN/NOTIFY)', () => {
  let db: Awaited<ReturnType<typeof createPostgresDatabase>>
  let notifications: string[]
  let spy: postgres.Sql
  beforeAll(async () => {
    db = await createPostgresDatabase()
    spy = postgres(db.url, { max: 1 })
    notifications = []
    await spy.listen('cashu_mint_events', (payload) => notifications.push(payload))
  })
  afterAll(async () => {
    await spy.end()
    await db.drop()
  })

  const pair = async (batchMs: number) => {
    const heardByA: MintEvent[] = []
    const heardByB: MintEvent[] = []
    const a = await openEventChannel(db.url, (e) => heardByA.push(e), { batchMs })
    const b = await openEventChannel(db.url, (e) => heardByB.push(e))
    return { a, b, heardByA, heardByB }
  }
  const settle = async (channels: EventChannel[], until: () => boolean) => {
    for (let i = 0; i < 200 && !until(); i++) await new Promise((r) => setTimeout(r, 10))
    await Promise.all(channels.map((c) => c.close()))
  }

  it('batches proof states into few messages, in order, and never echoes an instance its own', async () => {
    notifications.length = 0
    const { a, b, heardByA, heardByB } = await pair(200)
    const published = [
      ...Array.from({ length: 30 }, (_, i) =>
        a.publish({ kind: 'proof_state', state: 'SPENT', ys: ys(`s${i}-`, 8) }),
      ),
      a.publish({ kind: 'proof_state', state: 'PENDING', ys: ['p0', 'p1'] }),
    ]
    await Promise.all(published)
    await a.publish({ kind: 'keysets' })
    const expectedYs = Array.from({ length: 30 }, (_, i) => ys(`s${i}-`, 8)).flat()
    await settle([a, b], () => heardByB.some((e) => e.kind === 'keysets'))

    const spent = heardByB.filter((e) => e.kind === 'proof_state' && e.state === 'SPENT')
    expect(spent.flatMap((e) => (e.kind === 'proof_state' ? e.ys : []))).toEqual(expectedYs)
    // 240 Ys in messages of at most 80: three, not thirty.
    expect(spent.length).toBe(3)
    expect(heardByB.slice(3).map((e) => e.kind === 'proof_state' && e.state)).toEqual(['PENDING', false])
    expect(heardByB.at(-1)).toEqual({ kind: 'keysets' })
    expect(notifications).toHaveLength(5)
    for (const payload of notifications) expect(payload.length).toBeLessThan(8000)
    expect(heardByA).toEqual([])
  })

  it('sends an event other than a proof state at once, after the proof states queued before it', async () => {
    const { a, b, heardByB } = await pair(60_000)
    const started = Date.now()
    void a.publish({ kind: 'proof_state', state: 'SPENT', ys: ['y1'] })
    await a.publish({ kind: 'settings' })
    await settle([a, b], () => heardByB.length === 2)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(heardByB).toEqual([{ kind: 'proof_state', state: 'SPENT', ys: ['y1'] }, { kind: 'settings' }])
  })

  it('sends what is queued when it closes', async () => {
    const { a, b, heardByB } = await pair(60_000)
    void a.publish({ kind: 'proof_state', state: 'UNSPENT', ys: ['u1', 'u2'] })
    await a.close()
    await settle([b], () => heardByB.length === 1)
    expect(heardByB).toEqual([{ kind: 'proof_state', state: 'UNSPENT', ys: ['u1', 'u2'] }])
  })
})
