/**
 * The dashboard in a real browser (headless Chromium from Debian, driven by playwright-core), on a
 * mint with PostgreSQL after scripted traffic in two units: it asks for the token; at 1280x900 and
 * at 390x844 it is at most two screens tall, nothing overflows sideways and every panel shows its
 * figures; the chart has labelled axes over the flows the API reports; its figures equal the admin
 * API's balance report, which equals the database's own sums; search finds a quote by id, by
 * payment hash and an issuance by its reference; the rotate button starts a new keyset. Screenshots
 * of both widths go to artifacts/ (CI keeps them). The API docs pages render too.
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Wallet } from '@cashu/cashu-ts'
import { type Browser, chromium, type Page } from 'playwright-core'
import postgres from 'postgres'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createPostgresDatabase } from '../../../packages/storage/test/databases.ts'
import { externalInvoice, waitFor } from '../../../packages/storage/test/mint-fixture.ts'
import { startTestServer, type TestServer, topUp } from './test-server.ts'

const TOKEN = 'dashboard-test-token-0123456789abcdefghij'
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARTIFACTS = join(import.meta.dirname, '../../../artifacts')
const REFERENCE = 'invoice-2026-0042'
let server: TestServer
let database: Awaited<ReturnType<typeof createPostgresDatabase>>
let browser: Browser
let page: Page

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no Chromium at ${CHROMIUM}: apt-get install chromium (scripts/chromium.sh), or set CHROMIUM_PATH`,
    )
  database = await createPostgresDatabase()
  server = await startTestServer({
    CASHU_MINT_ADMIN_TOKEN: TOKEN,
    DATABASE_URL: database.url,
    CASHU_MINT_UNITS: '[{"unit":"sat","input_fee_ppk":100},{"unit":"usd","rate":{"msat_per_unit":"10000"}}]',
  })
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await database?.drop()
})

const admin = async <T>(path: string, init: RequestInit = {}): Promise<T> =>
  (await (
    await fetch(`${server.adminUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    })
  ).json()) as T

type Balance = {
  units: Record<string, { outstanding: number; fees_earned: number }>
  keysets: { keysetId: string; unit: string; active: boolean; outstanding: number }[]
  backends: { name: string; balance_msat: number; liabilities_msat: number; solvent: boolean }[]
  pending_melts: number
}

/** Traffic in sat and usd: top-ups, a melt, open quotes, an operator issuance. */
async function traffic() {
  const sat = new Wallet(server.url, { unit: 'sat' })
  await sat.loadMint()
  const { quote: mintQuote, proofs } = await topUp(sat, 2000)
  const melt = await sat.createMeltQuoteBolt11(externalInvoice(500n))
  const { send } = await sat.send(520, proofs, { includeFees: true })
  await sat.meltProofsBolt11(melt, send)
  for (let i = 0; i < 12; i++) await sat.createMintQuoteBolt11(10 + i)
  const usd = new Wallet(server.url, { unit: 'usd' })
  await usd.loadMint()
  await topUp(usd, 1234)
  const issued = await admin<{ quote: string }>('/v1/admin/issue', {
    method: 'POST',
    body: JSON.stringify({ amount: 300, unit: 'sat', reference: REFERENCE }),
  })
  return { mintQuote, meltQuote: melt.quote, issuedQuote: issued.quote }
}

/** Outstanding ecash per unit as the database itself sums it: signed minus spent. */
async function databaseSums(): Promise<Record<string, bigint>> {
  const sql = postgres(database.url, { max: 1, onnotice: () => undefined })
  try {
    const rows = await sql<{ unit: string; outstanding: string }[]>`
      select k.unit, coalesce(sum(s.amount), 0) - coalesce((select sum(p.amount) from proofs p
        join keysets kp on kp.id = p.keyset_id where kp.unit = k.unit and p.state = 'SPENT'), 0) as outstanding
      from keysets k left join blind_signatures s on s.keyset_id = k.id group by k.unit`
    return Object.fromEntries(rows.map((r) => [r.unit, BigInt(r.outstanding)]))
  } finally {
    await sql.end()
  }
}

const figure = (name: string) => page.getAttribute(`[data-figure="${name}"]`, 'data-value')

/** The layout checks at the page's current size, and a screenshot. */
async function checkLayout(width: number, height: number) {
  await page.setViewportSize({ width, height })
  await page.reload()
  await page.waitForSelector('body[data-loaded]')
  const size = (await page.evaluate(
    '({ height: document.documentElement.scrollHeight, scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
  )) as { height: number; scrollWidth: number; clientWidth: number }

  expect(size.height, `page height at ${width}x${height}`).toBeLessThanOrEqual(2 * height)
  expect(size.scrollWidth, `horizontal overflow at ${width}x${height}`).toBeLessThanOrEqual(size.clientWidth)
  const panels = await page.$$eval('main section:not([hidden])', (sections) =>
    sections.map((s) => ({
      title: s.querySelector('h2')?.textContent ?? '',
      body: (s.textContent ?? '').replace(s.querySelector('h2')?.textContent ?? '', '').trim(),
      overflows: s.scrollWidth > s.clientWidth + 1,
    })),
  )
  expect(panels.length).toBe(6)
  for (const panel of panels) {
    expect(panel.body.length, `${panel.title} shows nothing`).toBeGreaterThan(0)
    expect(panel.overflows, `${panel.title} overflows its panel`).toBe(false)
  }
  await mkdir(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: join(ARTIFACTS, `dashboard-${width}x${height}.png`), fullPage: true })
}

it('reads at a glance on a laptop and a phone, with the figures of the API and the database', async () => {
  const { mintQuote, meltQuote, issuedQuote } = await traffic()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(`${server.adminUrl}/dashboard`)
  await page.fill('#token', 'wrong')
  await page.click('#login-form button')
  await page.waitForSelector('#login-error:has-text("refused")')
  await page.fill('#token', TOKEN)
  await page.click('#login-form button')
  await page.waitForSelector('body[data-loaded]')

  // Dashboard = admin API = the database's sums, in every unit.
  const balance = await admin<Balance>('/v1/admin/balance')
  const sums = await databaseSums()
  expect(Object.keys(balance.units).sort()).toEqual(['sat', 'usd'])
  for (const [unit, figures] of Object.entries(balance.units)) {
    expect(BigInt(figures.outstanding)).toBe(sums[unit])
    expect(await figure(`outstanding:${unit}`)).toBe(String(figures.outstanding))
    expect(await figure(`fees:${unit}`)).toBe(String(figures.fees_earned))
  }
  expect(balance.units.sat?.outstanding).toBeGreaterThan(0)
  expect(balance.units.usd?.outstanding).toBe(1234)
  expect(balance.units.sat?.fees_earned).toBeGreaterThan(0)
  // Per unit: sat with separators, usd cents as dollars.
  expect(await page.textContent('[data-figure="outstanding:usd"]')).toBe('$12.34')
  expect(await page.textContent('[data-figure="outstanding:sat"]')).toMatch(/^[\d,]+ sat$/)
  // The FakeWallet: 0.1 BTC opening, + 2,000 sat, + the 12 quotes of 10..21 sat it paid itself, +
  // $12.34 at 10 sat a cent, − 500 sat and its 2.5 sat fee. It serves sat and usd: what it owes is
  // the sat outstanding and the usd outstanding at 10 sat a cent.
  const [fake] = balance.backends
  expect(balance.backends.map((b) => b.name)).toEqual(['fake'])
  expect(BigInt(fake?.balance_msat ?? 0)).toBe(
    10_000_000_000n + 2_000_000n + 186_000n + 12_340_000n - 502_500n,
  )
  expect(BigInt(fake?.liabilities_msat ?? 0)).toBe(
    BigInt(balance.units.sat?.outstanding ?? 0) * 1000n + 1234n * 10_000n,
  )
  expect(await figure('balance:fake')).toBe(String(BigInt(fake?.balance_msat ?? 0) / 1000n))
  expect(await page.textContent('[data-figure="balance:fake"]')).toBe('10,014,023 sat')
  expect(await figure('liabilities:fake')).toBe(String(BigInt(fake?.liabilities_msat ?? 0) / 1000n))
  expect(await page.textContent('[data-solvent="fake"]')).toBe('covered')
  expect(await page.getAttribute('#pending-count', 'data-value')).toBe('0')

  // Keysets: shortened ids with the whole id on hover and a copy button; outstanding per keyset.
  const active = balance.keysets.find((k) => k.active && k.unit === 'sat')
  const keysetId = page.locator(`#keysets tr[data-keyset="${active?.keysetId}"] .id`)
  expect(await keysetId.getAttribute('title')).toBe(active?.keysetId)
  expect((await keysetId.textContent())?.length).toBeLessThan(16)
  expect(await page.locator(`#keysets tr[data-keyset="${active?.keysetId}"] button.copy`).count()).toBe(1)
  expect(await figure(`keyset:${active?.keysetId}`)).toBe(String(active?.outstanding))
  expect(await page.locator(`#quotes tr[data-quote="${mintQuote}"]`).count()).toBe(1)
  expect(await page.locator(`#quotes tr[data-quote="${meltQuote}"]`).count()).toBe(1)

  // The chart: labelled axes, and the hours' sums are the flows the API reports.
  const flows = await admin<{ unit: string; issued: number; redeemed: number }[]>('/v1/admin/flows?hours=48')
  const issuedSat = flows.filter((f) => f.unit === 'sat').reduce((a, f) => a + f.issued, 0)
  const redeemedSat = flows.filter((f) => f.unit === 'sat').reduce((a, f) => a + f.redeemed, 0)
  expect(issuedSat).toBeGreaterThan(0)
  expect(redeemedSat).toBeGreaterThan(0)
  const chart = await page.evaluate(`(() => {
    const c = window.dashboardChart
    const sum = (values) => (values ?? []).reduce((a, v) => a + v, 0)
    return {
      labels: c.axes.map((a) => a.label),
      series: c.series.slice(1).map((s) => s.label),
      issued: sum(c.data[1]),
      redeemed: sum(c.data[2]),
      hours: c.data[0]?.length,
    }
  })()`)

  expect(chart).toEqual({
    labels: ['hour (local time)', 'amount (sat)'],
    series: ['issued', 'redeemed'],
    issued: issuedSat,
    redeemed: redeemedSat,
    hours: 48,
  })
  expect(await page.locator('#chart canvas').count()).toBeGreaterThan(0)

  // Search: a quote by id, a quote by payment hash, an issuance by the beginning of its reference.
  const search = async (text: string) => {
    await page.fill('#search', text)
    await page.click('#search-form button')
    await page.waitForSelector('#results-panel:not([hidden])')
  }
  await search(meltQuote)
  await expect.poll(() => page.locator(`#results tr[data-hit="${meltQuote}"]`).count()).toBe(1)
  const { paymentHash } = await admin<{ paymentHash: string }>(`/v1/admin/quotes/${mintQuote}`)
  await search(paymentHash)
  await expect.poll(() => page.locator(`#results tr[data-hit="${mintQuote}"]`).count()).toBe(1)
  await search(REFERENCE.slice(0, 12))
  await expect.poll(() => page.locator(`#results tr[data-hit="${issuedQuote}"]`).count()).toBe(1)
  expect(await page.textContent('#results')).toContain(REFERENCE)

  await checkLayout(1280, 900)
  await checkLayout(390, 844)
  expect(errors).toEqual([])
})

it('its rotate button starts a new keyset', async () => {
  await page.setViewportSize({ width: 1280, height: 900 })
  const keysets = async () =>
    (
      (await (await fetch(`${server.url}/v1/keysets`)).json()) as {
        keysets: { id: string; unit: string; active: boolean }[]
      }
    ).keysets
  const before = await keysets()
  page.once('dialog', (dialog) => dialog.accept())
  await page.click('#keysets button[data-unit="sat"]')
  await waitFor(async () => (await keysets()).length > before.length)
  const fresh = (await keysets()).find(
    (k) => k.active && k.unit === 'sat' && !before.some((b) => b.id === k.id),
  )
  expect(fresh?.id.startsWith('01')).toBe(true)
  await expect.poll(() => page.locator(`#keysets tr[data-keyset="${fresh?.id}"]`).count()).toBe(1)
})

it('renders the API documentation pages', async () => {
  await page.goto(`${server.url}/docs`)
  await page.waitForSelector('.op[data-path="/v1/swap"]')
  expect(await page.locator('.op').count()).toBeGreaterThan(10)
  await page.goto(`${server.adminUrl}/docs`)
  await page.waitForSelector('.op[data-path="/v1/admin/search"]')
})
