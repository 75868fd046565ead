/**
 * The dashboard in a real browser (headless Chromium from Debian, driven by playwright-core):
 * it asks for the token, shows the figures the admin API computes after scripted activity, and
 * its rotate button starts a new keyset. The API docs pages render too.
 */
import { existsSync } from 'node:fs'
import { Wallet } from '@cashu/cashu-ts'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { externalInvoice, waitFor } from '../../../packages/storage/test/mint-fixture.ts'
import { startTestServer, type TestServer, topUp } from './test-server.ts'

const TOKEN = 'dashboard-test-token-0123456789abcdefghij'
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
let server: TestServer
let browser: Browser
let page: Page

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no Chromium at ${CHROMIUM}: apt-get install chromium (scripts/chromium.sh), or set CHROMIUM_PATH`,
    )
  server = await startTestServer({ CASHU_MINT_ADMIN_TOKEN: TOKEN, CASHU_MINT_INPUT_FEE_PPK: '100' })
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
  page = await browser.newPage()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function activity() {
  const wallet = new Wallet(server.url, { unit: 'sat' })
  await wallet.loadMint()
  const { quote, proofs } = await topUp(wallet, 2000)
  const melt = await wallet.createMeltQuoteBolt11(externalInvoice(500n))
  const { send } = await wallet.send(520, proofs, { includeFees: true })
  await wallet.meltProofsBolt11(melt, send)
  return { mintQuote: quote, meltQuote: melt.quote }
}

const balance = async () =>
  (await (
    await fetch(`${server.adminUrl}/v1/admin/balance`, { headers: { authorization: `Bearer ${TOKEN}` } })
  ).json()) as {
    units: { sat: { outstanding: number; fees_earned: number } }
    keysets: { keysetId: string; active: boolean; outstanding: number }[]
  }

it('shows the figures after activity, and its rotate button starts a new keyset', async () => {
  const { mintQuote, meltQuote } = await activity()
  const errors: string[] = []
  page.on('pageerror', (error) => {
    errors.push(error.message)
    console.log('PAGE ERROR', error.message)
  })
  await page.goto(`${server.adminUrl}/dashboard`)
  await page.fill('#token', 'wrong')
  await page.click('#login-form button')
  await page.waitForSelector('#login-error:has-text("refused")')
  await page.fill('#token', TOKEN)
  await page.click('#login-form button')
  await page.waitForSelector('#lightning-balance')

  const expected = await balance()
  const satRow = page.locator('#units tr[data-unit="sat"] td')
  await expect.poll(() => satRow.nth(1).textContent()).toBe(String(expected.units.sat.outstanding))
  expect(await satRow.nth(2).textContent()).toBe(String(expected.units.sat.fees_earned))
  // 2000 sat received, 500 sat paid plus the FakeWallet's fee of 0.5 %, 2.5 sat.
  expect(await page.textContent('#lightning-balance')).toContain('1,497.5 sat in channels')
  expect(await page.textContent('#solvent')).toBe('covered')
  expect(await page.textContent('#pending-count')).toBe('0')
  expect(await page.textContent('#mint-quotes')).toContain(mintQuote)
  expect(await page.textContent('#melt-quotes')).toContain(meltQuote)
  const active = expected.keysets.find((k) => k.active && k.keysetId.startsWith('01'))
  const keysetRow = page.locator(`#keysets tr[data-keyset="${active?.keysetId}"] td`)
  expect(await keysetRow.nth(4).textContent()).toBe(String(active?.outstanding))
  const bars = page.locator('#chart rect')
  expect(await bars.count()).toBeGreaterThan(0)
  expect(await page.locator('#chart rect[data-kind="issued"]').first().getAttribute('data-value')).toBe(
    '2000',
  )

  const before = (await (await fetch(`${server.url}/v1/keysets`)).json()) as { keysets: { id: string }[] }
  page.once('dialog', (dialog) => dialog.accept())
  await page.click('#keysets button[data-unit="sat"]')
  await waitFor(async () => {
    const after = (await (await fetch(`${server.url}/v1/keysets`)).json()) as { keysets: { id: string }[] }
    return after.keysets.length > before.keysets.length
  })
  const after = (await (await fetch(`${server.url}/v1/keysets`)).json()) as {
    keysets: { id: string; active: boolean }[]
  }
  const fresh = after.keysets.find(
    (k) => k.active && k.id.startsWith('01') && !before.keysets.some((b) => b.id === k.id),
  )
  await expect.poll(() => page.textContent('#keysets')).toContain(fresh?.id.slice(0, 16))
  expect(errors).toEqual([])
})

it('renders the API documentation pages', async () => {
  await page.goto(`${server.url}/docs`)
  await page.waitForSelector('.op[data-path="/v1/swap"]')
  expect(await page.locator('.op').count()).toBeGreaterThan(10)
  await page.goto(`${server.adminUrl}/docs`)
  await page.waitForSelector('.op[data-path="/v1/admin/redeem"]')
})
