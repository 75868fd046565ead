/**
 * NUT-22 under kill -9: the mint runs as a process on PostgreSQL with swaps behind blind auth; a
 * cashu-ts user fires swaps, each with its own BAT, and the process is killed while they run. After
 * each restart, a BAT is SPENT exactly when its swap took effect (its outputs were signed); a BAT
 * whose swap did not happen stays usable: recovery releases it once no instance can still be
 * running its request (aged here past the grace), and the same swap with the same BAT then
 * succeeds; a swap that did happen is answered again for the same BAT, spending nothing more.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bytesToHex, hashSecretToCurve } from '@cashu-mint/core/crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createPostgresDatabase } from '../../../packages/storage/test/databases.ts'
import { curve } from '../../../packages/storage/test/mint-fixture.ts'
import { type OpenIdProvider, startOpenIdProvider } from './auth/openid-provider.ts'
import { batOf, loginWallet } from './auth/wallet-login.ts'
import { freePort } from './free-port.ts'
import { type MintProcess, startMintProcess } from './regtest/mint-process.ts'
import { swapRequest, topUp } from './test-server.ts'

let provider: OpenIdProvider
let database: Awaited<ReturnType<typeof createPostgresDatabase>>
let sql: postgres.Sql
let env: Record<string, string>
let mint: MintProcess | undefined

beforeAll(async () => {
  provider = await startOpenIdProvider()
  database = await createPostgresDatabase()
  sql = postgres(database.url, { onnotice: () => undefined })
  env = {
    CASHU_MINT_DATA_DIR: await mkdtemp(join(tmpdir(), 'mint-auth-crash-')),
    DATABASE_URL: database.url,
    CASHU_MINT_PORT: String(await freePort()),
    CASHU_MINT_ADMIN_PORT: String(await freePort()),
    CASHU_MINT_FAKE_DELAY_MS: '20',
    CASHU_MINT_RATE_LIMIT_PER_MINUTE: '0',
    CASHU_MINT_AUTH_OPENID_DISCOVERY: provider.discoveryUrl,
    CASHU_MINT_AUTH_BLIND_ENDPOINTS: 'POST /v1/swap',
    CASHU_MINT_AUTH_BAT_MINTS_PER_MINUTE: '100',
  }
  mint = await startMintProcess(env)
})
afterAll(async () => {
  await mint?.kill('SIGKILL')
  await sql?.end()
  await database?.drop()
  await provider?.close()
})

interface Attempt {
  bat: string
  y: string
  body: ReturnType<typeof swapRequest>
  answered: boolean
}

const send = (attempt: Attempt) =>
  fetch(`${mint?.url}/v1/swap`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'blind-auth': attempt.bat },
    body: JSON.stringify(attempt.body),
  })

/** Which BATs are stored in which state, and which swaps' outputs were signed. */
async function observe(attempts: readonly Attempt[]) {
  const rows = await sql`select y, state from auth_proofs where y = any(${attempts.map((a) => a.y)})`
  const states = new Map(rows.map((row) => [String(row.y), String(row.state)]))
  const signed = new Set(
    (
      await sql`select b_ from blind_signatures where b_ = any(${attempts.map((a) => a.body.outputs[0]?.B_ ?? '')})`
    ).map((row) => String(row.b_)),
  )
  return attempts.map((attempt) => ({
    state: states.get(attempt.y),
    tookEffect: signed.has(attempt.body.outputs[0]?.B_ ?? ''),
  }))
}

it('spends a BAT only when its request took effect, across kill -9 and restarts', {
  timeout: 300_000,
}, async () => {
  let interrupted = 0
  let settledByRecovery = 0
  for (let round = 0; round < 4 && interrupted < 3; round++) {
    const url = mint?.url as string
    const { auth, wallet } = await loginWallet(url, 'alice')
    const proofs = [...(await topUp(wallet, 1023)).proofs, ...(await topUp(wallet, 1023)).proofs]
    const attempts: Attempt[] = []
    for (const proof of proofs) {
      const bat = await auth.getBlindAuthToken({ method: 'POST', path: '/v1/swap' })
      const y = bytesToHex(hashSecretToCurve(curve, batOf(bat).secret))
      attempts.push({ bat, y, body: swapRequest(wallet, [proof]), answered: false })
    }
    const requests = attempts.map(async (attempt) => {
      const response = await send(attempt).catch(() => undefined)
      attempt.answered = response?.status === 200
    })
    // Kill the mint while the swaps are in flight.
    await new Promise((resolve) => setTimeout(resolve, 40 + round * 30))
    await mint?.kill('SIGKILL')
    await Promise.all(requests)
    interrupted += attempts.filter((attempt) => !attempt.answered).length

    mint = await startMintProcess(env)
    // What a reserved BAT keeps for recovery holds no secret of the request's proofs.
    const kept = (await sql`select evidence from auth_proofs where state = 'PENDING'`).map((r) =>
      String(r.evidence),
    )
    for (const attempt of attempts) expect(kept.join()).not.toContain(attempt.body.inputs[0]?.secret)
    const afterRestart = await observe(attempts)
    for (const [i, seen] of afterRestart.entries()) {
      // Recovery at start settled every BAT whose swap took effect; none other is SPENT.
      if (seen.tookEffect) expect(seen.state, `BAT ${i}`).toBe('SPENT')
      else expect(seen.state, `BAT ${i}`).not.toBe('SPENT')
      if (seen.tookEffect && !attempts[i]?.answered) settledByRecovery++
    }
    // Requests that never took effect: once the grace has passed (aged here), the next start releases their BATs.
    await sql`update auth_proofs set created_at = created_at - 3600 where state = 'PENDING'`
    await mint.kill('SIGTERM')
    mint = await startMintProcess(env)
    expect((await sql`select count(*)::int as n from auth_proofs where state = 'PENDING'`)[0]?.n).toBe(0)
    // Every swap now succeeds with its own BAT: a done one is answered again, an undone one is done.
    for (const attempt of attempts) expect((await send(attempt)).status).toBe(200)
    const final = await observe(attempts)
    expect(final.every((seen) => seen.state === 'SPENT' && seen.tookEffect)).toBe(true)
  }
  expect(interrupted).toBeGreaterThan(0)
  console.info(
    `kill -9 interrupted ${interrupted} swaps; recovery settled ${settledByRecovery} BATs as spent`,
  )
})
