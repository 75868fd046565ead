/**
 * The admin API on two instances sharing one PostgreSQL database: what the operator changes on
 * one (info, Lightning switches, keysets) every instance serves at once, and the figures (balance,
 * fees, quotes) agree with what wallets did.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Wallet } from '@cashu/cashu-ts'
import { ErrorCode } from '@cashu-mint/core/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresDatabase } from '../../../packages/storage/test/databases.ts'
import { externalInvoice, waitFor } from '../../../packages/storage/test/mint-fixture.ts'
import { startTestServer, type TestServer, topUp } from './test-server.ts'

const TOKEN = 'admin-api-test-token-0123456789abcdefgh'
let a: TestServer
let b: TestServer
let drop: () => Promise<void>

async function call(server: typeof a, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.adminUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & unknown[] }
}

const info = async (server: typeof a) =>
  (await (await fetch(`${server.url}/v1/info`)).json()) as Record<string, unknown> & {
    nuts: Record<string, { methods: { unit: string }[] }>
  }

beforeAll(async () => {
  const database = await createPostgresDatabase()
  drop = database.drop
  // Two instances on one database and data folder, as with several workers or hosts.
  const env = {
    CASHU_MINT_ADMIN_TOKEN: TOKEN,
    CASHU_MINT_DATA_DIR: await mkdtemp(join(tmpdir(), 'mint-admin-')),
    DATABASE_URL: database.url,
    CASHU_MINT_INPUT_FEE_PPK: '100',
  }
  a = await startTestServer(env)
  b = await startTestServer(env)
})

afterAll(async () => {
  await a?.stop()
  await b?.stop()
  await drop?.()
})

describe('admin API', () => {
  it('refuses requests without the token', async () => {
    expect((await fetch(`${a.adminUrl}/v1/admin/balance`)).status).toBe(401)
    const wrong = await fetch(`${a.adminUrl}/v1/admin/balance`, { headers: { authorization: 'Bearer nope' } })
    expect(wrong.status).toBe(401)
  })

  it('sends security headers with every admin page and answer, so none can be framed', async () => {
    const pages = [
      '/',
      '/dashboard',
      '/dashboard/app.js',
      '/dashboard/app.css',
      '/dashboard/uplot.js',
      '/dashboard/uplot.css',
      '/docs',
      '/docs/page.js',
      '/docs/page.css',
      '/openapi.json',
      '/health',
      '/metrics',
      '/v1/admin/balance',
      '/v1/admin/keysets',
      '/v1/admin/nothing-here',
    ]
    for (const path of pages) {
      for (const authorization of [`Bearer ${TOKEN}`, undefined]) {
        const response = await fetch(`${a.adminUrl}${path}`, {
          redirect: 'manual',
          headers: authorization ? { authorization } : {},
        })
        const csp = response.headers.get('content-security-policy') ?? ''
        expect(csp, path).toContain("frame-ancestors 'none'")
        expect(csp, path).toContain("default-src 'none'")
        expect(csp, path).toContain("script-src 'self'")
        expect(csp, path).not.toContain('unsafe-inline')
        expect(response.headers.get('x-frame-options'), path).toBe('DENY')
        expect(response.headers.get('x-content-type-options'), path).toBe('nosniff')
        expect(response.headers.get('referrer-policy'), path).toBe('no-referrer')
      }
    }
    // The pages hold no inline script or style a policy of 'self' would block.
    for (const path of ['/dashboard', '/docs']) {
      const html = await (await fetch(`${a.adminUrl}${path}`)).text()
      expect(html, path).not.toMatch(/<script>|<style>| style="| on[a-z]+="/)
    }
  })

  it('answers health probes: the status publicly, the checks on the admin listener', async () => {
    const pub = await fetch(`${a.url}/health`)
    expect(pub.status).toBe(200)
    expect(await pub.json()).toEqual({ status: 'ok' })
    const admin = await fetch(`${a.adminUrl}/health`)
    expect(admin.status).toBe(200)
    expect(await admin.json()).toMatchObject({
      status: 'ok',
      database: { ok: true },
      backends: { fake: { ok: true } },
      pending_melts: 0,
    })
  })

  it('changes the mint info on every instance', async () => {
    const change = {
      name: 'Arcade credits',
      motd: 'tokens now 10 % off',
      contact: [{ method: 'email', info: 'ops@arcade.example' }],
      icon_url: 'https://arcade.example/icon.png',
      tos_url: 'https://arcade.example/tos',
    }
    expect((await call(a, 'PATCH', '/v1/admin/settings', change)).body).toMatchObject(change)
    await waitFor(async () => (await info(b)).motd === 'tokens now 10 % off')
    expect(await info(b)).toMatchObject({
      name: 'Arcade credits',
      icon_url: change.icon_url,
      tos_url: change.tos_url,
    })
    expect((await call(b, 'PATCH', '/v1/admin/settings', { icon_url: 'not a url' })).body.code).toBe(
      ErrorCode.MALFORMED_REQUEST,
    )
  })

  it('switches melting off and on again for every instance, and refuses units it cannot price', async () => {
    await call(a, 'PATCH', '/v1/admin/settings', { melt_enabled: { sat: false } })
    await waitFor(async () => (await info(b)).nuts['5']?.methods.length === 0)
    const refused = await fetch(`${b.url}/v1/melt/quote/bolt11`, {
      method: 'POST',
      body: JSON.stringify({ request: externalInvoice(10n), unit: 'sat' }),
    })
    expect(((await refused.json()) as { code: number }).code).toBe(ErrorCode.UNIT_UNSUPPORTED)
    await call(b, 'PATCH', '/v1/admin/settings', { melt_enabled: { sat: true } })
    await waitFor(async () => (await info(a)).nuts['5']?.methods.length === 1)
    expect((await call(a, 'PATCH', '/v1/admin/settings', { mint_enabled: { usd: true } })).body.code).toBe(
      ErrorCode.UNIT_UNSUPPORTED,
    )
  })

  it('reports outstanding ecash, Lightning balance, fees, quotes and Prometheus metrics, and rotates keysets', async () => {
    const wallet = new Wallet(a.url, { unit: 'sat' })
    await wallet.loadMint()
    const { quote, proofs } = await topUp(wallet, 1000)
    const melt = await wallet.createMeltQuoteBolt11(externalInvoice(100n))
    const { send } = await wallet.send(110, proofs, { includeFees: true })
    expect((await wallet.meltProofsBolt11(melt, send)).quote.state).toBe('PAID')

    const balance = (await call(b, 'GET', '/v1/admin/balance')).body as unknown as {
      units: { sat: { outstanding: number; fees_earned: number } }
      backends: { name: string; balance_msat: number; liabilities_msat: number; solvent: boolean }[]
      pending_melts: number
    }
    const sum = (ps: { amount: { toBigInt(): bigint } }[]) => ps.reduce((x, p) => x + p.amount.toBigInt(), 0n)
    expect(balance.pending_melts).toBe(0)
    // What the wallet holds is exactly what the mint owes.
    const states = await wallet.checkProofsStates(proofs)
    const held = proofs.filter((_, i) => states[i]?.state === 'UNSPENT')
    expect(balance.units.sat.outstanding).toBeGreaterThan(0)
    expect(BigInt(balance.backends[0]?.liabilities_msat ?? 0)).toBe(
      BigInt(balance.units.sat.outstanding) * 1000n,
    )
    expect(balance.units.sat.fees_earned).toBeGreaterThan(0)
    expect(sum(held)).toBeLessThanOrEqual(BigInt(balance.units.sat.outstanding))
    // The FakeWallet on instance A opened with 0.1 BTC, received 1000 sat and paid 100 sat + 1 sat fee.
    expect((await call(a, 'GET', '/v1/admin/balance')).body).toMatchObject({
      backends: [{ name: 'fake', balance_msat: 10_000_899_000 }],
    })
    expect((await call(a, 'GET', '/v1/admin/backends')).body).toMatchObject([
      {
        name: 'fake',
        kind: 'fake',
        ok: true,
        routes: [{ method: 'bolt11', unit: 'sat' }],
        balance_msat: 10_000_899_000,
      },
    ])

    const mints = (await call(b, 'GET', '/v1/admin/quotes?kind=mint&limit=5')).body
    expect((mints as { id: string }[]).some((q) => q.id === quote)).toBe(true)
    const shown = (await call(b, 'GET', `/v1/admin/quotes/${melt.quote}`)).body
    expect(shown).toMatchObject({ kind: 'melt', state: 'PAID', saga: { state: 'PAID' } })

    const before = (await call(a, 'GET', '/v1/admin/keysets')).body as unknown as {
      keysets: { id: string; active: boolean }[]
    }
    const rotated = (await call(a, 'POST', '/v1/admin/keysets/rotate', { unit: 'sat', input_fee_ppk: 200 }))
      .body as unknown as {
      keysets: { id: string; active: boolean; input_fee_ppk: number }[]
    }
    const fresh = rotated.keysets.filter((k) => k.active && !before.keysets.some((o) => o.id === k.id))
    expect(fresh.map((k) => k.input_fee_ppk)).toContain(200)
    const scrape = await fetch(`${a.adminUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    const metrics = await scrape.text()
    expect(metrics).toMatch(/cashu_mint_operations_total\{operation="mint",unit="sat"\} 1/)
    expect(metrics).toMatch(/cashu_mint_operation_amount_total\{operation="melt",unit="sat"\} 100/)
    expect(metrics).toMatch(
      /cashu_mint_http_requests_total\{listener="public",method="POST",route="\/v1\/mint\/quote\/bolt11",status="200"/,
    )
    expect(metrics).toMatch(
      new RegExp(`cashu_mint_outstanding_ecash\\{unit="sat"\\} ${balance.units.sat.outstanding}`),
    )
    expect(metrics).toMatch(/cashu_mint_backend_balance_msat\{backend="fake"\} 10000899000/)
    expect(metrics).toMatch(/cashu_mint_backend_payments_total\{backend="fake",direction="out"\} 1/)
    expect(metrics).toMatch(/cashu_mint_backend_payment_msat_total\{backend="fake",direction="out"\} 100000/)
    // The gauge reads the running totals at every scrape: the next top-up shows at once.
    const rotatedWallet = new Wallet(a.url, { unit: 'sat' })
    await rotatedWallet.loadMint()
    await topUp(rotatedWallet, 64)
    const next = await (
      await fetch(`${a.adminUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).text()
    expect(next).toMatch(
      new RegExp(`cashu_mint_outstanding_ecash\\{unit="sat"\\} ${balance.units.sat.outstanding + 64}`),
    )
    expect(metrics).toMatch(/cashu_mint_db_transaction_duration_seconds_count [1-9]/)
    expect((await fetch(`${a.adminUrl}/metrics`)).status).toBe(401)

    await waitFor(async () => {
      const keysets = (await (await fetch(`${b.url}/v1/keysets`)).json()) as {
        keysets: { id: string; active: boolean }[]
      }
      return fresh.every((k) => keysets.keysets.some((o) => o.id === k.id && o.active))
    })
  })
})
