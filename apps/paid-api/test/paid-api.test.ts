/**
 * The README walkthrough, run: a mint with the FakeWallet, the paid API redeeming through the
 * mint's admin listener, and the cashu-ts client topping up, getting 402, paying, getting 200.
 */

import type { AddressInfo } from 'node:net'
import { createRemoteRedeemer } from '@cashu-mint/accept'
import { p2pkPublicKey } from '@cashu-mint/core/conditions'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../mint/test/test-server.ts'
import { payForJoke } from '../src/client.ts'
import { createPaidApi } from '../src/paid-api.ts'

const ADMIN_TOKEN = 'walkthrough-admin-token-0123456789abcdef'
const PAYEE_KEY = '5a'.repeat(32)
let mint: TestServer
let api: ReturnType<typeof serve>
let apiUrl: string

beforeAll(async () => {
  mint = await startTestServer({ CASHU_MINT_ADMIN_TOKEN: ADMIN_TOKEN })
  const app = createPaidApi({
    redeemer: createRemoteRedeemer({ adminUrl: mint.adminUrl, token: ADMIN_TOKEN }),
    mintUrl: mint.url,
    price: { amount: 5n, unit: 'sat' },
    privateKey: PAYEE_KEY,
  })
  api = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started))
  })
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((resolve) => api?.close(() => resolve()))
  await mint?.stop()
})

it('tops up, gets 402, pays with a token, gets 200 and a receipt; the token does not pay twice', async () => {
  const lines: string[] = []
  const result = await payForJoke(apiUrl, mint.url, (line) => lines.push(line))
  expect(result).toMatchObject({ unpaid: 402, paid: 200, replay: 400, receipt: { amount: 5 } })
  expect(lines[2]).toContain(`asks for 5 sat from ${mint.url}`)
  expect(lines[3]).toContain(`locked to the API's key ${p2pkPublicKey(PAYEE_KEY).slice(0, 12)}`)
  expect(lines[6]).toContain('already redeemed')
  const receipts = (await (await fetch(`${apiUrl}/receipts`)).json()) as { id: string }[]
  expect(receipts.map((r) => r.id)).toEqual([result.receipt.id])
})
