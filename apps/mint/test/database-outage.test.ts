/**
 * PostgreSQL crashed and restarted three times under swap load: the requests caught in an outage
 * get 503 with Retry-After and code 50000 (never a 500), the mint recovers by itself, every swap
 * retried gets its answer (the engine replays what a swap stored before the crash), nothing is lost
 * (each wallet's balance and the outstanding ecash are exact), and the log has one line when each
 * outage begins and one when it ends.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { bytesToHex, defaultCurveBackend, hashSecretToCurve } from '@cashu-mint/core/crypto'
import { ErrorCode, type Proof, parseJson, stringifyJson } from '@cashu-mint/core/protocol'
import { outputsFor, unblindProofs } from '@cashu-mint/core/testing'
import { pino } from 'pino'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { loadConfig } from '../src/config/config.ts'
import { startServer } from '../src/server.ts'
import { type PrivatePostgres, startPrivatePostgres } from './private-postgres.ts'

const TOKEN = 'database-outage-test-token-0123456789'
const WALLETS = 8
const EACH = 64n
const curve = defaultCurveBackend()
let postgres: PrivatePostgres
let server: Awaited<ReturnType<typeof startServer>>
const lines: string[] = []

beforeAll(async () => {
  postgres = await startPrivatePostgres()
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString())
      done()
    },
  })
  const config = loadConfig({
    CASHU_MINT_PORT: '0',
    CASHU_MINT_ADMIN_PORT: '0',
    CASHU_MINT_DATA_DIR: await mkdtemp(join(tmpdir(), 'mint-outage-')),
    DATABASE_URL: postgres.url,
    CASHU_MINT_FAKE_DELAY_MS: '20',
    CASHU_MINT_RATE_LIMIT_PER_MINUTE: '0',
    CASHU_MINT_ADMIN_TOKEN: TOKEN,
  })
  server = await startServer(config, pino({ level: 'warn' }, sink))
}, 120_000)

afterAll(async () => {
  await server?.stop().catch(() => undefined)
  await postgres?.destroy()
})

/** Fresh proofs worth EACH, credited by the operator and minted over HTTP. */
async function fund(): Promise<Proof[]> {
  const { quote } = await server.mint.credit({ amount: EACH, unit: 'sat', reference: 'outage test' })
  const keysetId = server.mint.keys().keysets[0]?.id as string
  const blinded = outputsFor(curve, keysetId, EACH)
  const response = await post('/v1/mint/bolt11', { quote: quote.quote, outputs: blinded.outputs })
  expect(response.status).toBe(200)
  return unblindProofs(
    curve,
    server.mint.keys(),
    blinded,
    (response.body as { signatures: never[] }).signatures,
  )
}

async function post(path: string, body: unknown) {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', body: stringifyJson(body) })
  return { status: response.status, headers: response.headers, body: parseJson(await response.text()) }
}

interface Tally {
  swaps: number
  unavailable: number
  other: string[]
}

/** One wallet swapping its proofs again and again; a 503 is retried with the same request. */
async function swapLoop(proofs: Proof[], running: () => boolean, tally: Tally): Promise<Proof[]> {
  let held = proofs
  while (running()) {
    const keysetId = held[0]?.id as string
    const blinded = outputsFor(curve, keysetId, EACH)
    const request = { inputs: held, outputs: blinded.outputs }
    for (;;) {
      const answer = await post('/v1/swap', request).catch(() => undefined)
      if (answer?.status === 200) {
        const signatures = (answer.body as { signatures: never[] }).signatures
        held = unblindProofs(curve, server.mint.keys(), blinded, signatures)
        tally.swaps++
        break
      }
      const retryable =
        answer?.status === 503 &&
        Number(answer.headers.get('retry-after')) > 0 &&
        (answer.body as { code: bigint }).code === BigInt(ErrorCode.TEMPORARILY_UNAVAILABLE)
      if (retryable) tally.unavailable++
      else tally.other.push(answer ? `${answer.status} ${stringifyJson(answer.body)}` : 'no answer')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  return held
}

it('answers 503 through three crashes of PostgreSQL, recovers by itself and loses nothing', async () => {
  const funded = await Promise.all(Array.from({ length: WALLETS }, fund))
  let running = true
  const tally: Tally = { swaps: 0, unavailable: 0, other: [] }
  const loops = funded.map((proofs) => swapLoop(proofs, () => running, tally))
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  for (let outage = 0; outage < 3; outage++) {
    await pause(1500)
    await postgres.crash()
    await pause(2000)
    await postgres.start()
  }
  await pause(2000)
  running = false
  const held = await Promise.all(loops)
  expect(tally.other).toEqual([])
  expect(tally.unavailable).toBeGreaterThan(0)
  expect(tally.swaps).toBeGreaterThan(WALLETS * 3)
  // Every wallet holds exactly what it was funded with, unspent.
  for (const proofs of held) expect(proofs.reduce((sum, p) => sum + p.amount, 0n)).toBe(EACH)
  const secrets = held.flat().map((p) => p.secret)
  expect(secrets).toHaveLength(new Set(secrets).size)
  const states = await server.mint.checkState(
    held.flat().map((p) => bytesToHex(hashSecretToCurve(curve, p.secret))),
  )
  expect(states.states.every((s) => s.state === 'UNSPENT')).toBe(true)
  const balance = await fetch(`${server.adminUrl}/v1/admin/balance`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  })
  const report = parseJson(await balance.text()) as { units: { sat: { outstanding: bigint } } }
  expect(report.units.sat.outstanding).toBe(EACH * BigInt(WALLETS))
  // One line as each outage began and one as it ended; no 500 and no failed statement logged.
  expect(lines.filter((l) => l.includes('database unavailable'))).toHaveLength(3)
  expect(lines.filter((l) => l.includes('database available again'))).toHaveLength(3)
  expect(lines.some((l) => l.includes('internal error') || l.includes('Failed query'))).toBe(false)
}, 180_000)
