/**
 * Holds over HTTP, across a kill -9: a service holds a cashu-ts user's token through the admin
 * listener (the remote redeemer), the mint process is killed before the hold settles, and after
 * the restart the hold is intact, settling it twice pays out once, and the payer's claim (the
 * public endpoint, with the claim secret) gets that payout, which cashu-ts receives once. The books
 * show what is held, kept and returned.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getEncodedToken, type Proof, Wallet } from '@cashu/cashu-ts'
import { createRemoteRedeemer } from '@cashu-mint/accept'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createPostgresDatabase } from '../../../packages/storage/test/databases.ts'
import { freePort } from './free-port.ts'
import { type MintProcess, startMintProcess } from './regtest/mint-process.ts'
import { topUp } from './test-server.ts'

const ADMIN_TOKEN = 'holds-test-admin-token-0123456789abcdef'
let database: Awaited<ReturnType<typeof createPostgresDatabase>>
let env: Record<string, string>
let mint: MintProcess | undefined

beforeAll(async () => {
  database = await createPostgresDatabase()
  env = {
    CASHU_MINT_DATA_DIR: await mkdtemp(join(tmpdir(), 'mint-holds-')),
    DATABASE_URL: database.url,
    CASHU_MINT_PORT: String(await freePort()),
    CASHU_MINT_ADMIN_PORT: String(await freePort()),
    CASHU_MINT_ADMIN_TOKEN: ADMIN_TOKEN,
    CASHU_MINT_FAKE_DELAY_MS: '20',
    CASHU_MINT_RATE_LIMIT_PER_MINUTE: '0',
  }
  mint = await startMintProcess(env)
})
afterAll(async () => {
  await mint?.kill('SIGKILL')
  await database?.drop()
})

const adminUrl = () => `http://127.0.0.1:${env.CASHU_MINT_ADMIN_PORT}`
const sum = (proofs: readonly { amount: { toBigInt(): bigint } | bigint }[]) =>
  proofs.reduce((a, p) => a + (typeof p.amount === 'bigint' ? p.amount : p.amount.toBigInt()), 0n)

it('a hold outlives kill -9; settled twice it pays out once, and the payer claims that once', async () => {
  const url = mint?.url as string
  const payer = new Wallet(url, { unit: 'sat' })
  await payer.loadMint()
  const { proofs } = await topUp(payer, 32)
  const { send, keep } = await payer.send(16, proofs)
  const service = createRemoteRedeemer({ adminUrl: adminUrl(), token: ADMIN_TOKEN })
  const held = await service.hold(getEncodedToken({ mint: url, unit: 'sat', proofs: send }), {
    max: 10n,
    unit: 'sat',
    ttlSeconds: 600n,
    onExpiry: 'return',
    key: 'order-1',
  })
  expect(held.hold).toMatchObject({ amount: 10n, state: 'held' })
  expect('token' in held.change && held.change.token).toBeTruthy()

  await mint?.kill('SIGKILL')
  mint = await startMintProcess(env)

  const [first, second] = await Promise.all([
    service.settle(held.hold.id, { keep: 3n }),
    service.settle(held.hold.id, { keep: 3n }),
  ])
  expect(first.token).toBe(second.token)
  expect([first.replayed, second.replayed].sort()).toEqual([false, true])
  expect(first.hold).toMatchObject({ state: 'settled', kept: 3n, returned: 7n })

  const claim = () =>
    fetch(`${url}/v1/holds/${held.hold.id}/claim`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret: held.claim }),
    })
  const claimed = (await (await claim()).json()) as { hold: { state: string }; proofs: Proof[] }
  expect(claimed.hold.state).toBe('settled')
  const token = getEncodedToken({ mint: url, unit: 'sat', proofs: claimed.proofs })
  const received = await payer.receive(token)
  expect(sum(received)).toBe(7n)
  // The same claim again answers the same ecash: already received, it pays nothing more.
  const again = (await (await claim()).json()) as { proofs: Proof[] }
  await expect(
    payer.receive(getEncodedToken({ mint: url, unit: 'sat', proofs: again.proofs })),
  ).rejects.toThrow(/spent/i)
  const wrong = await fetch(`${url}/v1/holds/${held.hold.id}/claim`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret: '0'.repeat(64) }),
  })
  expect(wrong.status).toBe(400)
  expect(sum(keep)).toBe(16n)

  const balance = (await (
    await fetch(`${adminUrl()}/v1/admin/balance`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
  ).json()) as { holds: Record<string, { held: number; kept: number; returned: number }> }
  expect(balance.holds.sat).toEqual({ held: 0, kept: 3, returned: 7 })
})
