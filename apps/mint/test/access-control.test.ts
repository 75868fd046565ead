/**
 * NUT-21 clear auth and NUT-22 blind auth against a real OpenID Connect provider (oidc-provider, in
 * this process) and two instances of the service on one PostgreSQL database. A cashu-ts wallet logs
 * in with the device grant (the user signs in with a password), mints BATs with its access token and
 * spends them on top-ups, swaps and melts; every refusal has its code; a BAT is spent once, only by a
 * request that succeeded, also when two instances race for it; the operator switches auth off and on.
 */
import { execFile } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Proof } from '@cashu/cashu-ts'
import { encodeBlindAuthToken } from '@cashu-mint/core/protocol'
import fc from 'fast-check'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresDatabase } from '../../../packages/storage/test/databases.ts'
import { externalInvoice } from '../../../packages/storage/test/mint-fixture.ts'
import {
  CLIENT_ID,
  type OpenIdProvider,
  RESOURCE,
  startOpenIdProvider,
  type UserName,
} from './auth/openid-provider.ts'
import { batOf, loginWallet } from './auth/wallet-login.ts'
import { SOURCES } from './regtest/mint-process.ts'
import { startTestServer, swapRequest, type TestServer, topUp } from './test-server.ts'

const TOKEN = 'access-control-test-token-0123456789abcd'
const CLI = join(import.meta.dirname, '../src/cli/cli.ts')
const BLIND = 'POST /v1/mint/*, GET /v1/mint/*, POST /v1/swap, POST /v1/melt/*'
let provider: OpenIdProvider
let database: Awaited<ReturnType<typeof createPostgresDatabase>>
let sql: postgres.Sql
let a: TestServer
let b: TestServer

beforeAll(async () => {
  provider = await startOpenIdProvider()
  database = await createPostgresDatabase()
  sql = postgres(database.url, { onnotice: () => undefined })
  const env = {
    // Both instances share the data folder (the seed) and the database, as replicas behind a proxy do.
    CASHU_MINT_DATA_DIR: await mkdtemp(join(tmpdir(), 'mint-auth-')),
    DATABASE_URL: database.url,
    CASHU_MINT_ADMIN_TOKEN: TOKEN,
    CASHU_MINT_AUTH_OPENID_DISCOVERY: provider.discoveryUrl,
    CASHU_MINT_AUTH_AUDIENCE: RESOURCE,
    CASHU_MINT_AUTH_BLIND_ENDPOINTS: BLIND,
    CASHU_MINT_AUTH_BAT_MAX_MINT: '30',
    CASHU_MINT_AUTH_BAT_MINTS_PER_MINUTE: '8',
    CASHU_MINT_RATE_LIMIT_PER_MINUTE: '0',
  }
  a = await startTestServer(env)
  b = await startTestServer(env)
})
afterAll(async () => {
  await a?.stop()
  await b?.stop()
  await sql?.end()
  await database?.drop()
  await provider?.close()
})

const loggedIn = (user: UserName, url = a.url) => loginWallet(url, user)

const call = async (
  url: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
) => {
  const response = await fetch(`${url}${path}`, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

const admin = (path: string, body?: unknown) =>
  fetch(`${a.adminUrl}${path}`, {
    method: body === undefined ? 'GET' : 'PATCH',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).then((response) => response.json() as Promise<Record<string, unknown>>)

const batStates = async () =>
  Object.fromEntries(
    (await sql`select state, count(*)::int as n from auth_proofs group by state`).map((r) => [r.state, r.n]),
  ) as { SPENT?: number; PENDING?: number }

describe('access control', { timeout: 120_000 }, () => {
  it('advertises NUT-21 and NUT-22 and serves the auth keyset apart from the ecash keysets', async () => {
    const { body: info } = await call(a.url, '/v1/info')
    const nuts = info.nuts as Record<string, Record<string, unknown>>
    expect(nuts['21']).toEqual({
      openid_discovery: provider.discoveryUrl,
      client_id: CLIENT_ID,
      protected_endpoints: [{ method: 'POST', path: '/v1/auth/blind/mint' }],
    })
    expect(nuts['22']?.bat_max_mint).toBe(30)
    expect(nuts['22']?.protected_endpoints).toEqual(
      BLIND.split(', ').map((item) => ({ method: item.split(' ')[0], path: item.split(' ')[1] })),
    )
    const authKeys = (await call(a.url, '/v1/auth/blind/keys')).body.keysets as {
      id: string
      unit: string
      keys: object
    }[]
    expect(authKeys).toHaveLength(1)
    expect(authKeys[0]).toMatchObject({ unit: 'auth', keys: { '1': expect.stringMatching(/^0[23]/) } })
    expect(authKeys[0]?.id).toMatch(/^01/)
    const ecash = (await call(a.url, '/v1/keysets')).body.keysets as { unit: string }[]
    expect(ecash.map((k) => k.unit)).toEqual(['sat'])
    const authKeysets = (await call(a.url, '/v1/auth/blind/keysets')).body.keysets as { id: string }[]
    expect(authKeysets.map((k) => k.id)).toEqual([authKeys[0]?.id])
  })

  it('lets a logged-in cashu-ts wallet top up, swap and melt with BATs, each spent once', async () => {
    const { auth, wallet } = await loggedIn('alice')
    const { proofs } = await topUp(wallet, 500)
    const { keep, send } = await wallet.send(120, proofs)
    const received = await wallet.receive({ mint: a.url, proofs: send, unit: 'sat' })
    expect(received.reduce((sum, p) => sum + Number(p.amount), 0)).toBe(120)
    const meltQuote = await wallet.createMeltQuoteBolt11(externalInvoice(100n))
    const { send: toMelt } = await wallet.send(
      Number(meltQuote.amount) + Number(meltQuote.fee_reserve),
      keep,
      { includeFees: true },
    )
    const melted = await wallet.meltProofsBolt11(meltQuote, toMelt)
    expect(melted.quote.state).toBe('PAID')

    const report = await admin('/v1/admin/auth')
    const users = report.users as { subject: string; bats_minted: number }[]
    const alice = users.find((u) => u.subject === 'user-alice')
    expect(alice?.bats_minted).toBeGreaterThan(0)
    // Every BAT the wallet took from its pool went with a request that succeeded: all spent, none pending.
    const states = await batStates()
    expect(states.PENDING).toBeUndefined()
    expect((states.SPENT ?? 0) + auth.poolSize).toBe(alice?.bats_minted)
  })

  it('refuses missing, expired, foreign and forged clear auth tokens with their codes', async () => {
    const { tokens } = await loggedIn('bob')
    const batMint = (cat?: string) =>
      call(a.url, '/v1/auth/blind/mint', { body: { outputs: [] }, headers: cat ? { 'clear-auth': cat } : {} })
    expect(await batMint()).toMatchObject({ status: 400, body: { code: 30001 } })
    // The id token is for the wallet (aud = client id), not for the mint.
    expect(await batMint(tokens.id_token)).toMatchObject({
      status: 400,
      body: { code: 30002, detail: expect.stringContaining('"aud"') },
    })
    const [header, payload, signature] = tokens.access_token.split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
    const tampered = Buffer.from(JSON.stringify({ ...claims, sub: 'user-alice' })).toString('base64url')
    expect(await batMint(`${header}.${tampered}.${signature}`)).toMatchObject({
      status: 400,
      body: { code: 30002, detail: expect.stringContaining('signature') },
    })
    // The same claims signed by a key the provider never published.
    const { privateKey } = await generateKeyPair('RS256', { extractable: true })
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: (await exportJWK(privateKey)).kid ?? 'forged-key' })
      .sign(privateKey)
    expect(await batMint(forged)).toMatchObject({ status: 400, body: { code: 30002 } })
    expect(await batMint('not a token')).toMatchObject({ status: 400, body: { code: 30002 } })
    // A token that has expired.
    provider.policy.accessTokenSeconds = 1
    const short = await loggedIn('bob')
    provider.policy.accessTokenSeconds = 600
    await new Promise((resolve) => setTimeout(resolve, 2100))
    expect(await batMint(short.tokens.access_token)).toMatchObject({
      status: 400,
      body: { code: 30002, detail: expect.stringContaining('expired') },
    })
    // The valid token passes the clear auth check and reaches the BAT mint's own validation.
    expect(await batMint(tokens.access_token)).toMatchObject({ status: 400, body: { code: 10000 } })
  })

  it('refuses missing, malformed, forged and spent BATs, and limits BAT minting', async () => {
    const { auth, wallet, tokens } = await loggedIn('bob')
    const quote = { amount: 5, unit: 'sat' }
    const withBat = (bat: string) =>
      call(a.url, '/v1/mint/quote/bolt11', { body: quote, headers: { 'blind-auth': bat } })
    expect(await call(a.url, '/v1/mint/quote/bolt11', { body: quote })).toMatchObject({
      status: 400,
      body: { code: 31001 },
    })
    expect(await withBat('authAnot-json')).toMatchObject({ status: 400, body: { code: 31002 } })
    expect(await withBat('cashuA')).toMatchObject({ status: 400, body: { code: 31002 } })
    // Ecash is not a BAT: a sat proof in the header names a keyset the auth keysets do not have.
    const { proofs } = await topUp(wallet, 8)
    const [coin] = proofs as [Proof]
    expect(await withBat(encodeBlindAuthToken(coin))).toMatchObject({
      status: 400,
      body: { code: 31002, detail: expect.stringContaining('keyset') },
    })
    const bat = await auth.getBlindAuthToken({ method: 'POST', path: '/v1/mint/quote/bolt11' })
    const proof = batOf(bat)
    expect(await withBat(encodeBlindAuthToken({ ...proof, secret: `${proof.secret}00` }))).toMatchObject({
      status: 400,
      body: { code: 31002 },
    })
    // Padded (cashu-ts) and unpadded (Nutshell) encodings are the same BAT: the second use is refused.
    expect((await withBat(bat)).status).toBe(200)
    expect(await withBat(encodeBlindAuthToken(proof))).toMatchObject({
      status: 400,
      body: { code: 31002, detail: expect.stringContaining('already spent') },
    })

    const keyset = (await call(a.url, '/v1/auth/blind/keysets')).body.keysets as { id: string }[]
    const outputs = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        amount: 1,
        id: keyset[0]?.id,
        B_: `02${(i + 1).toString(16).padStart(64, '0')}`,
      }))
    const mintBats = (n: number) =>
      call(a.url, '/v1/auth/blind/mint', {
        body: { outputs: outputs(n) },
        headers: { 'clear-auth': tokens.access_token },
      })
    expect(await mintBats(31)).toMatchObject({ status: 400, body: { code: 31003 } })
    // bob has used part of his 8 BAT mint requests this minute; the rest go through, then 31004.
    const answers = []
    for (let i = 0; i < 8; i++) answers.push((await mintBats(1)).body)
    expect(answers.at(-1)).toMatchObject({ code: 31004 })
    expect(answers.filter((answer) => 'signatures' in answer).length).toBeGreaterThan(0)
  })

  it('answers hostile auth headers and BAT mint bodies with their codes, never a 5xx', async () => {
    const { tokens } = await loggedIn('bob')
    const keysetId = ((await call(a.url, '/v1/auth/blind/keysets')).body.keysets as { id: string }[])[0]?.id
    const json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
    const header = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 100 }).map((text) => `authA${text}`),
      fc.jsonValue().map((value) => `authA${json(value)}`),
      fc
        .record({ id: fc.constant(keysetId), secret: fc.string(), C: fc.string() })
        .map((p) => `authA${json(p)}`),
      fc
        .string({ maxLength: 8000 })
        .map((text) => `authA${json({ id: keysetId, secret: text, C: `02${'0'.repeat(64)}` })}`),
    )
    await fc.assert(
      fc.asyncProperty(header, fc.string({ maxLength: 2000 }), fc.jsonValue(), async (bat, cat, outputs) => {
        const safe = (text: string) => text.replace(/[^\x21-\x7e]/g, '')
        const blind = await call(a.url, '/v1/swap', {
          body: { inputs: [], outputs: [] },
          headers: { 'blind-auth': safe(bat) },
        })
        expect([blind.status, blind.body.code]).toEqual([400, safe(bat) ? 31002 : 31001])
        const clear = await call(a.url, '/v1/auth/blind/mint', {
          body: {},
          headers: { 'clear-auth': safe(cat) },
        })
        expect([clear.status, clear.body.code]).toEqual([400, safe(cat) ? 30002 : 30001])
        const minted = await call(a.url, '/v1/auth/blind/mint', {
          body: { outputs },
          headers: { 'clear-auth': tokens.access_token },
        })
        expect(minted.status).toBe(400)
        expect([10000, 12001, 31003]).toContain(minted.body.code)
      }),
      { numRuns: 150 },
    )
  })

  it('spends nothing for a failed request, and nothing more for a NUT-19 retry of a swap', async () => {
    const { auth, wallet } = await loggedIn('alice')
    const { proofs } = await topUp(wallet, 63)
    const bat = await auth.getBlindAuthToken({ method: 'POST', path: '/v1/swap' })
    const body = swapRequest(wallet, proofs)
    const unbalanced = { ...body, outputs: body.outputs.slice(1) }
    const swap = (request: unknown) =>
      call(a.url, '/v1/swap', { body: request, headers: { 'blind-auth': bat } })
    const refused = await swap(unbalanced)
    expect(refused, JSON.stringify(refused)).toMatchObject({ status: 400, body: { code: 11005 } })
    const before = (await batStates()).SPENT ?? 0
    const first = await swap(body)
    expect(first.status).toBe(200)
    // The wallet lost the answer and sends the same request with the same headers (cashu-ts does).
    const retried = await swap(body)
    expect(retried).toEqual(first)
    expect((await batStates()).SPENT).toBe(before + 1)
    // The spent BAT is good for nothing else.
    expect(await swap(swapRequest(wallet, (await topUp(wallet, 2)).proofs))).toMatchObject({
      status: 400,
      body: { code: 31002 },
    })
  })

  it('spends a BAT once when two instances race for it', async () => {
    const { auth } = await loggedIn('alice', b.url)
    for (let round = 0; round < 5; round++) {
      const bat = await auth.getBlindAuthToken({ method: 'POST', path: '/v1/mint/quote/bolt11' })
      const answers = await Promise.all(
        [a, b].map((server, i) =>
          call(server.url, '/v1/mint/quote/bolt11', {
            body: { amount: 10 + i, unit: 'sat' },
            headers: { 'blind-auth': bat },
          }),
        ),
      )
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400])
      expect(answers.find((answer) => answer.status === 400)?.body.code).toBe(31002)
    }
    expect((await batStates()).PENDING).toBeUndefined()
  })

  it('lets the operator switch access control off and on with cashu-mint auth', async () => {
    const cli = async (...args: string[]) => {
      const { stdout } = await promisify(execFile)(process.execPath, [SOURCES, CLI, 'auth', ...args], {
        env: {
          ...process.env,
          CASHU_MINT_ADMIN_PORT: new URL(a.adminUrl).port,
          CASHU_MINT_ADMIN_TOKEN: TOKEN,
        },
      })
      return stdout
    }
    const status = await cli('status')
    expect(status).toContain('access control enabled')
    expect(status).toMatch(/user-alice\s+\d+\s+\d+/)
    expect(await cli('disable')).toContain('DISABLED')
    expect(((await call(a.url, '/v1/info')).body.nuts as object)['21' as keyof object]).toBeUndefined()
    const quote = { body: { amount: 5, unit: 'sat' } }
    expect((await call(a.url, '/v1/mint/quote/bolt11', quote)).status).toBe(200)
    expect(await admin('/v1/admin/auth')).toMatchObject({ configured: true, enabled: false })
    // The other instance hears of the change.
    await expect.poll(async () => (await call(b.url, '/v1/mint/quote/bolt11', quote)).status).toBe(200)
    expect(JSON.parse(await cli('enable', '--json'))).toMatchObject({ enabled: true })
    expect(await call(a.url, '/v1/mint/quote/bolt11', quote)).toMatchObject({ body: { code: 31001 } })
    await expect.poll(async () => (await call(b.url, '/v1/mint/quote/bolt11', quote)).body.code).toBe(31001)
  })

  it('rotates the auth keyset: new BATs come from the new one, those of the old one stay good', async () => {
    const { auth } = await loggedIn('alice')
    const oldBat = await auth.getBlindAuthToken({ method: 'POST', path: '/v1/swap' })
    const rotated = await fetch(`${a.adminUrl}/v1/admin/keysets/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ unit: 'auth' }),
    })
    expect(rotated.status).toBe(200)
    const keysets = (await call(a.url, '/v1/auth/blind/keysets')).body.keysets as {
      id: string
      active: boolean
    }[]
    expect(keysets.map((k) => k.active).sort()).toEqual([false, true])
    expect(keysets.find((k) => !k.active)?.id).toBe(batOf(oldBat).id)
    expect(
      (
        await call(a.url, '/v1/mint/quote/bolt11', {
          body: { amount: 3, unit: 'sat' },
          headers: { 'blind-auth': oldBat },
        })
      ).status,
    ).toBe(200)
    const { auth: fresh } = await loggedIn('alice')
    const newBat = await fresh.getBlindAuthToken({ method: 'POST', path: '/v1/swap' })
    expect(batOf(newBat).id).toBe(keysets.find((k) => k.active)?.id)
    // The other instance reloads its keysets and accepts the new BAT.
    await expect
      .poll(
        async () =>
          (
            await call(b.url, '/v1/mint/quote/bolt11', {
              body: { amount: 3, unit: 'sat' },
              headers: { 'blind-auth': newBat },
            })
          ).status,
      )
      .toBe(200)
  })

  it("accepts tokens signed with the provider's new key after it rotates its keys", async () => {
    await provider.rotateKeys()
    // The mint refetches the provider's keys for a key id it has not seen (after a 10 s cooldown).
    await new Promise((resolve) => setTimeout(resolve, 10_500))
    const { auth } = await loggedIn('alice')
    await auth.ensure(3)
    expect(auth.poolSize).toBeGreaterThanOrEqual(3)
  })
})
