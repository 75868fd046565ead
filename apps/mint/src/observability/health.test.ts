import { describe, expect, it } from 'vitest'
import { checkHealth, healthCode } from './health.ts'

const answers =
  <T>(value: T) =>
  async () =>
    value
const fails = async (): Promise<never> => {
  throw new Error('connection refused')
}
const hangs = () => new Promise<never>(() => undefined)

describe('health', () => {
  it('is ok when the database and every backend answer', async () => {
    const health = await checkHealth({
      reports: { pendingMelts: answers(2) },
      backends: [
        { label: 'lnd', backend: { balance: answers(5n) } },
        { label: 'lnbits', backend: { balance: answers(null) } },
      ],
    })
    expect(health).toMatchObject({
      status: 'ok',
      database: { ok: true },
      backends: { lnd: { ok: true }, lnbits: { ok: true } },
      pending_melts: 2,
    })
    expect(healthCode(health)).toBe(200)
  })

  it('is degraded, still 200, naming the backend that does not answer in time', async () => {
    const health = await checkHealth(
      {
        reports: { pendingMelts: answers(0) },
        backends: [
          { label: 'lnd', backend: { balance: answers(5n) } },
          { label: 'processor', backend: { balance: hangs } },
        ],
      },
      50,
    )
    expect(health.status).toBe('degraded')
    expect(health.backends.lnd).toMatchObject({ ok: true })
    expect(health.backends.processor).toMatchObject({ ok: false, error: 'no answer within 50 ms' })
    expect(health.backends.processor?.ms).toBeGreaterThanOrEqual(45)
    expect(healthCode(health)).toBe(200)
  })

  it('is down, 503, without the database', async () => {
    const health = await checkHealth({
      reports: { pendingMelts: fails },
      backends: [{ label: 'fake', backend: { balance: answers(0n) } }],
    })
    expect(health).toMatchObject({
      status: 'down',
      database: { ok: false, error: 'connection refused' },
      pending_melts: null,
    })
    expect(healthCode(health)).toBe(503)
  })
})
