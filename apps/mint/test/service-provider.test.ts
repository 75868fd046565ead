/**
 * The mint as a closed credit system, end to end with @cashu/cashu-ts on PostgreSQL: units with
 * their own keysets, a usd unit priced by an HTTP feed and closed to melts, operator issuance
 * minted by an ordinary wallet, and redemption as payment: over the admin API, in-process, and
 * through the NUT-24 paywall, with double spends, wrong units, short payments, expired keysets and
 * concurrent redemptions refused, and refunds when the paid handler fails or the operator says so.
 */

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodePaymentRequest, getEncodedToken, type Proof, Wallet } from '@cashu/cashu-ts'
import { cashuPaywall, createLocalRedeemer, createRemoteRedeemer } from '@cashu-mint/accept'
import { p2pkPublicKey } from '@cashu-mint/core/conditions'
import { defaultCurveBackend } from '@cashu-mint/core/crypto'
import { decodeBolt11 } from '@cashu-mint/core/lightning'
import { ErrorCode, inputFee } from '@cashu-mint/core/protocol'
import { outputsFor, unblindProofs } from '@cashu-mint/core/testing'
import { decodeToken } from '@cashu-mint/core/token'
import type { SearchHit } from '@cashu-mint/storage'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresDatabase } from '../../../packages/storage/test/databases.ts'
import { externalInvoice, waitFor } from '../../../packages/storage/test/mint-fixture.ts'
import { startTestServer, type TestServer, topUp } from './test-server.ts'

const ADMIN_TOKEN = 'a-test-admin-token-that-is-long-enough'
const PAYEE_KEY = '7f'.repeat(32)
let server: TestServer
let priceFeed: Server
let dropDatabase: () => Promise<void>
let feedPrice = '100000.00'

const sum = (proofs: readonly { amount: bigint }[]) => proofs.reduce((a, p) => a + p.amount, 0n)
const total = (proofs: { amount: { toBigInt(): bigint } }[]) =>
  proofs.reduce((a, p) => a + p.amount.toBigInt(), 0n)

async function admin(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.adminUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/** An admin API reading, as the operator's tools see it. */
async function adminRead(path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.adminUrl}${path}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  })
  expect(response.status).toBe(200)
  return (await response.json()) as Record<string, unknown>
}

async function walletFor(unit: string): Promise<Wallet> {
  const wallet = new Wallet(server.url, { unit, requireSigDleq: true })
  await wallet.loadMint()
  return wallet
}

/** Credits issued by the operator and minted by a wallet. */
async function credits(wallet: Wallet, amount: number): Promise<Proof[]> {
  const issued = await admin('/v1/admin/issue', { amount, unit: wallet.unit, reference: `test ${amount}` })
  expect(issued.status).toBe(200)
  return wallet.mintProofsBolt11(amount, issued.body.quote as string)
}

async function tokenOf(
  wallet: Wallet,
  proofs: Proof[],
  amount: number,
): Promise<{ token: string; keep: Proof[] }> {
  const { send, keep } = await wallet.send(amount, proofs, { includeFees: true })
  return { token: getEncodedToken({ mint: server.url, unit: wallet.unit, proofs: send }), keep }
}

beforeAll(async () => {
  priceFeed = createServer((_, response) => {
    response.setHeader('content-type', 'application/json')
    response.end(JSON.stringify({ data: { base: 'BTC', currency: 'USD', amount: feedPrice } }))
  })
  await new Promise<void>((resolve) => priceFeed.listen(0, '127.0.0.1', resolve))
  const feedUrl = `http://127.0.0.1:${(priceFeed.address() as AddressInfo).port}/prices/BTC-USD/spot`
  const database = await createPostgresDatabase()
  dropDatabase = database.drop
  server = await startTestServer({
    CASHU_MINT_ADMIN_TOKEN: ADMIN_TOKEN,
    DATABASE_URL: database.url,
    CASHU_MINT_UNITS: JSON.stringify([
      { unit: 'sat' },
      {
        unit: 'usd',
        melt: false,
        rate: { url: feedUrl, path: 'data.amount', scale: 100, max_age_seconds: 1 },
      },
      { unit: 'credit', input_fee_ppk: 100 },
      { unit: 'arcade' },
      { unit: 'eur', rate: { msat_per_unit: '12500' } },
    ]),
  })
})

afterAll(async () => {
  await server?.stop()
  await new Promise((resolve) => priceFeed?.close(resolve))
  await dropDatabase?.()
})

describe('units and prices', () => {
  it('gives every unit its own keysets and advertises Lightning only where a unit is priced', async () => {
    const keysets = server.mint.keysets().keysets.filter((k) => k.active && k.id.startsWith('01'))
    expect(keysets.map((k) => k.unit).sort()).toEqual(['arcade', 'credit', 'eur', 'sat', 'usd'])
    const info = (await (await fetch(`${server.url}/v1/info`)).json()) as {
      nuts: Record<string, { methods: { unit: string }[]; disabled: boolean }>
    }
    // Every unit can be minted (operator-issued quotes go through NUT-04)…
    expect(info.nuts['4']?.methods.map((m) => m.unit).sort()).toEqual([
      'arcade',
      'credit',
      'eur',
      'sat',
      'usd',
    ])
    // …but usd is closed to melts, and credit and arcade have no Lightning at all.
    expect(info.nuts['5']?.methods.map((m) => m.unit)).toEqual(['sat', 'eur'])
  })

  it('tops up usd at the feed’s price and records the rate on the quote', async () => {
    const wallet = await walletFor('usd')
    const quote = await wallet.createMintQuoteBolt11(250)
    // 100,000.00 USD per BTC: one cent is 1,000 sat / 100 = 10 sat, so $2.50 is 2,500 sat.
    expect(decodeBolt11(quote.request).amountMsat).toBe(2_500_000n)
    const stored = await adminRead(`/v1/admin/quotes/${quote.quote}`)
    expect(stored.rate).toBe('10000000000000/1000000000')
    await waitFor(async () => (await wallet.checkMintQuoteBolt11(quote.quote)).state === 'PAID')
    expect(total(await wallet.mintProofsBolt11(250, quote.quote))).toBe(250n)
    feedPrice = '50000'
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const dearer = await wallet.createMintQuoteBolt11(250)
    expect(decodeBolt11(dearer.request).amountMsat).toBe(5_000_000n)
  })

  it('melts a priced unit at its rate, with the fee reserve and change in that unit', async () => {
    const wallet = await walletFor('eur')
    // 12.5 sat per eur cent: 200 cents cost 2,500 sat.
    const quote = await wallet.createMintQuoteBolt11(200)
    expect(decodeBolt11(quote.request).amountMsat).toBe(2_500_000n)
    await waitFor(async () => (await wallet.checkMintQuoteBolt11(quote.quote)).state === 'PAID')
    const proofs = await wallet.mintProofsBolt11(200, quote.quote)
    // 1,000 sat is 80 cents; the reserve is max(1 %, 2) = 2 cents.
    const melt = await wallet.createMeltQuoteBolt11(externalInvoice(1000n))
    expect([melt.amount.toBigInt(), melt.fee_reserve.toBigInt()]).toEqual([80n, 2n])
    const { send } = await wallet.send(82, proofs, { includeFees: true })
    const result = await wallet.meltProofsBolt11(melt, send)
    expect(result.quote.state).toBe('PAID')
    // The FakeWallet's fee, 5 sat (0.5 %), is 0.4 cent: charged as 1 cent, 1 cent comes back.
    expect(total(result.change)).toBe(total(send) - 81n)
  })

  it('refuses to melt usd (closed loop) and to quote Lightning for an unpriced unit', async () => {
    const usd = await walletFor('usd')
    await expect(usd.createMeltQuoteBolt11(anyInvoice())).rejects.toThrow(/does not support bolt11 melt/)
    const melt = await fetch(`${server.url}/v1/melt/quote/bolt11`, {
      method: 'POST',
      body: JSON.stringify({ request: anyInvoice(), unit: 'usd' }),
    })
    expect(await melt.json()).toEqual({ detail: 'melting usd is disabled', code: ErrorCode.UNIT_UNSUPPORTED })
    const credit = await walletFor('credit')
    await expect(credit.createMintQuoteBolt11(10)).rejects.toThrow(/minting credit is disabled/)
  })
})

/** Any valid mainnet invoice: the usd melt is refused before the invoice matters. */
function anyInvoice(): string {
  return 'lnbc10n1p4sgda4pp5yt8xequy5tjgjt4as7trngjc2clwr975w5pu0xg4p69eq5rzg9dssp5pueckajjlauyg3gen23fcwdwstzkkzpeewfzx3pjm2h9742qghmsxqrrsscqpj9qrsgqu24w04p8utzrx3zj5kxz9k0vrgeglxjj59293zane0h7hwfhlpk304lj5qdpc90d0d7hz8p8gt8v2lgzzf8l9pqfn46smmvjsy9wjlgpjxyydm'
}

describe('operator issuance', () => {
  it('creates a paid quote any wallet can mint, recorded with its reference, behind the admin token', async () => {
    const wallet = await walletFor('credit')
    const issued = await admin('/v1/admin/issue', {
      amount: 500,
      unit: 'credit',
      reference: 'card payment 7731',
    })
    expect(issued.body).toMatchObject({
      amount: 500,
      unit: 'credit',
      state: 'PAID',
      reference: 'card payment 7731',
    })
    expect(total(await wallet.mintProofsBolt11(500, issued.body.quote as string))).toBe(500n)
    const found = (await adminRead('/v1/admin/search?q=card%20payment%207731')) as unknown as SearchHit[]
    expect(found.find((i) => i.kind === 'issuance' && i.id === issued.body.quote)?.reference).toBe(
      'card payment 7731',
    )
    const anonymous = await fetch(`${server.adminUrl}/v1/admin/issue`, {
      method: 'POST',
      body: JSON.stringify({ amount: 500, unit: 'credit', reference: 'free money' }),
    })
    expect(anonymous.status).toBe(401)
    expect((await admin('/v1/admin/issue', { amount: 5, unit: 'credit', reference: '  ' })).body.code).toBe(
      ErrorCode.MALFORMED_REQUEST,
    )
  })
})

describe('redeeming ecash as payment', () => {
  it('spends the token once, returns change as a token, and replays the receipt only for the same key', async () => {
    const wallet = await walletFor('credit')
    const { token } = await tokenOf(wallet, await credits(wallet, 200), 100)
    const first = await admin(
      '/v1/admin/redeem',
      { token, amount: 30, unit: 'credit' },
      { 'Idempotency-Key': 'req-1' },
    )
    expect(first.status).toBe(200)
    const receipt = first.body.receipt as Record<string, unknown>
    expect(receipt).toMatchObject({ amount: 30, unit: 'credit' })
    expect(first.body.replayed).toBe(false)
    const change = (first.body.change as { token: string }).token
    // The wallet sent 100 plus the input fee it will cost; 30 charged, the rest is change.
    expect(BigInt(receipt.change as number)).toBe(
      BigInt(receipt.inputAmount as number) - BigInt(receipt.fee as number) - 30n,
    )
    expect(BigInt(receipt.inputAmount as number) - BigInt(receipt.fee as number)).toBe(100n)
    expect(total(await wallet.receive(change))).toBeGreaterThan(0n)
    const again = await admin('/v1/admin/redeem', { token, amount: 30, unit: 'credit' })
    expect(again).toMatchObject({ status: 400, body: { code: ErrorCode.PROOFS_ALREADY_SPENT } })
    const retry = await admin(
      '/v1/admin/redeem',
      { token, amount: 30, unit: 'credit' },
      { 'Idempotency-Key': 'req-1' },
    )
    expect(retry.body).toMatchObject({ replayed: true, receipt: { id: receipt.id } })
  })

  it('refuses a token in another unit, one worth less than the price, and one of an expired keyset', async () => {
    const credit = await walletFor('credit')
    const { token } = await tokenOf(credit, await credits(credit, 20), 10)
    expect((await admin('/v1/admin/redeem', { token, amount: 5, unit: 'sat' })).body.code).toBe(
      ErrorCode.INPUT_OUTPUT_UNIT_MISMATCH,
    )
    expect((await admin('/v1/admin/redeem', { token, amount: 50, unit: 'credit' })).body.code).toBe(
      ErrorCode.TRANSACTION_UNBALANCED,
    )
    const arcade = await walletFor('arcade')
    const proofs = await credits(arcade, 8)
    // Long enough to mint on the expiring keyset on a slow machine; then wait until it has passed.
    const finalExpiry = BigInt(Math.floor(Date.now() / 1000)) + 4n
    await server.mint.rotateKeyset({ unit: 'arcade', inputFeePpk: 0n, finalExpiry })
    const expiring = await walletFor('arcade')
    const fresh = await credits(expiring, 4)
    const expired = getEncodedToken({ mint: server.url, unit: 'arcade', proofs: fresh })
    await new Promise((resolve) => setTimeout(resolve, Number(finalExpiry) * 1000 + 200 - Date.now()))
    expect((await admin('/v1/admin/redeem', { token: expired, amount: 1, unit: 'arcade' })).body.code).toBe(
      ErrorCode.KEYSET_EXPIRED,
    )
    // Proofs of the earlier, unexpired keyset still pay.
    const old = getEncodedToken({ mint: server.url, unit: 'arcade', proofs })
    expect((await admin('/v1/admin/redeem', { token: old, amount: 8, unit: 'arcade' })).status).toBe(200)
  })

  it('lets exactly one of ten concurrent redemptions of a token through', async () => {
    const wallet = await walletFor('credit')
    const { token } = await tokenOf(wallet, await credits(wallet, 64), 32)
    const results = await Promise.all(
      Array.from({ length: 10 }, () => admin('/v1/admin/redeem', { token, amount: 10, unit: 'credit' })),
    )
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    expect(results.filter((r) => r.body.code === ErrorCode.PROOFS_ALREADY_SPENT)).toHaveLength(9)
  })

  it('redeems in-process with blinded outputs for the change', async () => {
    const wallet = await walletFor('credit')
    const proofs = await credits(wallet, 40)
    const redeemer = createLocalRedeemer(server.mint, { mintUrl: server.url })
    const token = getEncodedToken({ mint: server.url, unit: 'credit', proofs })
    const fee = BigInt(wallet.getFeesForProofs(proofs).toString())
    const keyset = server.mint
      .keysets()
      .keysets.find((k) => k.active && k.unit === 'credit' && k.id.startsWith('01'))
    const blanks = outputsFor(defaultCurveBackend(), keyset?.id ?? '', 40n - 25n - fee)
    const result = await redeemer.redeem(token, { amount: 25n, unit: 'credit', outputs: blanks.outputs })
    expect(result.receipt.change).toBe(15n - fee)
    if (!('signatures' in result.change)) throw new Error('expected signatures')
    const change = unblindProofs(defaultCurveBackend(), server.mint.keys(), blanks, result.change.signatures)
    expect(change.reduce((a, p) => a + p.amount, 0n)).toBe(15n - fee)
    // The change is good ecash: the mint takes it as input.
    const worth = change.reduce((a, p) => a + p.amount, 0n) - inputFee(change.map(() => 100n))
    const swapped = await server.mint.swap({
      inputs: change,
      outputs: outputsFor(defaultCurveBackend(), keyset?.id ?? '', worth).outputs,
    })
    expect(swapped.signatures.reduce((a, s) => a + s.amount, 0n)).toBe(worth)
  })
})

describe('NUT-24 paywall', () => {
  let api: ReturnType<typeof serve>
  let apiUrl: string
  const unrefunded: string[] = []

  beforeAll(async () => {
    const app = new Hono()
    const remote = createRemoteRedeemer({ adminUrl: server.adminUrl, token: ADMIN_TOKEN })
    const local = createLocalRedeemer(server.mint, { mintUrl: server.url })
    const price = { amount: 5n, unit: 'credit' }
    app.get('/remote/joke', cashuPaywall({ redeemer: remote, mintUrl: server.url, price }), (c) =>
      c.json({ joke: 'a satoshi walks into a bar', receipt: c.get('cashuReceipt').id }),
    )
    const unreachable = createRemoteRedeemer({ adminUrl: 'http://127.0.0.1:9', token: ADMIN_TOKEN })
    app.get('/down/joke', cashuPaywall({ redeemer: unreachable, mintUrl: server.url, price }), (c) =>
      c.json({}),
    )
    app.get('/local/joke', cashuPaywall({ redeemer: local, mintUrl: server.url, price }), (c) =>
      c.json({ joke: 'ecash is cash', receipt: c.get('cashuReceipt').id }),
    )
    app.get('/remote/broken', cashuPaywall({ redeemer: remote, mintUrl: server.url, price }), () => {
      throw new Error('the upstream service is down')
    })
    app.get('/local/broken', cashuPaywall({ redeemer: local, mintUrl: server.url, price }), (c) =>
      c.json({ detail: 'bad gateway' }, 502),
    )
    const noRefunds = { ...local, refund: () => Promise.reject(new Error('the mint is down')) }
    app.get(
      '/flaky/broken',
      cashuPaywall({
        redeemer: noRefunds,
        mintUrl: server.url,
        price,
        onRefundError: (_, receiptId) => unrefunded.push(receiptId),
      }),
      (c) => c.json({ detail: 'bad gateway' }, 502),
    )
    app.get(
      '/locked/joke',
      cashuPaywall({ redeemer: remote, mintUrl: server.url, price, privateKey: PAYEE_KEY }),
      (c) => c.json({ joke: 'only I can spend this', receipt: c.get('cashuReceipt').id }),
    )
    const metered = { amount: 10n, unit: 'credit', metered: true }
    app.get(
      '/metered/search',
      cashuPaywall({ redeemer: remote, mintUrl: server.url, price: metered }),
      (c) => {
        // This search cost 3 of the 10 a search may cost.
        c.set('cashuCost', 3n)
        return c.json({ results: [], receipt: c.get('cashuReceipt').id })
      },
    )
    app.onError((_, c) => c.json({ detail: 'internal error' }, 500))
    api = await new Promise((resolve) => {
      const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started))
    })
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())))

  for (const where of ['remote', 'local'] as const) {
    it(`asks for payment, then serves the request paid with a token (${where} mint)`, async () => {
      const wallet = await walletFor('credit')
      const proofs = await credits(wallet, 50)
      const unpaid = await fetch(`${apiUrl}/${where}/joke`)
      expect(unpaid.status).toBe(402)
      const request = decodePaymentRequest(unpaid.headers.get('X-Cashu') ?? '')
      expect(request.amount?.toBigInt()).toBe(5n)
      expect(request.unit).toBe('credit')
      expect(request.mints).toEqual([server.url])
      const { token } = await tokenOf(wallet, proofs, 8)
      const paid = await fetch(`${apiUrl}/${where}/joke`, { headers: { 'X-Cashu': token } })
      expect(paid.status).toBe(200)
      const body = (await paid.json()) as { joke: string; receipt: string }
      expect(body.receipt).toMatch(/^[0-9a-f-]{36}$/)
      const change = paid.headers.get('X-Cashu-Change')
      expect(total(await wallet.receive(change ?? ''))).toBeGreaterThan(0n)
      const replay = await fetch(`${apiUrl}/${where}/joke`, { headers: { 'X-Cashu': token } })
      expect(replay.status).toBe(400)
      expect(((await replay.json()) as { code: number }).code).toBe(ErrorCode.PROOFS_ALREADY_SPENT)
    })
  }

  for (const where of ['remote', 'local'] as const) {
    it(`refunds the price when the handler fails, with the change in one token (${where} mint)`, async () => {
      const wallet = await walletFor('credit')
      const { token } = await tokenOf(wallet, await credits(wallet, 30), 8)
      const failed = await fetch(`${apiUrl}/${where}/broken`, { headers: { 'X-Cashu': token } })
      expect(failed.status).toBe(where === 'remote' ? 500 : 502)
      const receiptId = failed.headers.get('X-Cashu-Receipt') ?? ''
      const paid = decodeToken(token).proofs
      const back = decodeToken(failed.headers.get('X-Cashu-Change') ?? '').proofs
      // Everything but the input fee came back: the change (worth - fee - 5) and the refund (5).
      expect(sum(back)).toBe(sum(paid) - inputFee(paid.map(() => 100n)))
      // Asking again (as the operator would) gives the same refund, not a second one.
      const again = await admin(`/v1/admin/receipts/${receiptId}/refund`, {})
      expect(again.body).toMatchObject({ replayed: true, refund: { receiptId, amount: 5, unit: 'credit' } })
      const refunded = decodeToken(again.body.token as string).proofs
      expect(sum(refunded)).toBe(5n)
      expect(back.slice(-refunded.length).map((p) => p.secret)).toEqual(refunded.map((p) => p.secret))
      expect(total(await wallet.receive(failed.headers.get('X-Cashu-Change') ?? ''))).toBeGreaterThan(0n)
    })
  }

  it('metered: asks for the most a request may cost, keeps what it cost, and gives the rest back as change', async () => {
    const wallet = await walletFor('credit')
    const unpaid = await fetch(`${apiUrl}/metered/search`)
    expect(decodePaymentRequest(unpaid.headers.get('X-Cashu') ?? '').amount?.toBigInt()).toBe(10n)
    const { token } = await tokenOf(wallet, await credits(wallet, 30), 12)
    const paid = await fetch(`${apiUrl}/metered/search`, { headers: { 'X-Cashu': token } })
    expect(paid.status).toBe(200)
    const spent = decodeToken(token).proofs
    const back = decodeToken(paid.headers.get('X-Cashu-Change') ?? '').proofs
    // Everything but the cost (3) and the input fee came back.
    expect(sum(back)).toBe(sum(spent) - inputFee(spent.map(() => 100n)) - 3n)
    expect(paid.headers.get('X-Cashu-Hold')).toBe(paid.headers.get('X-Cashu-Receipt'))
    // cashu-ts takes the change, paying its own input fee to swap it.
    expect(total(await wallet.receive(paid.headers.get('X-Cashu-Change') ?? ''))).toBe(
      sum(back) - inputFee(back.map(() => 100n)),
    )
    // The hold settled for 3: the operator's books say so.
    const settled = await admin(`/v1/admin/holds/${paid.headers.get('X-Cashu-Hold')}/settle`, { keep: 10 })
    expect(settled.body).toMatchObject({ replayed: true, hold: { state: 'settled', kept: 3, returned: 7 } })
  })

  it('hands a receipt the paywall could not refund to the operator, who can refund it later', async () => {
    const wallet = await walletFor('credit')
    const { token } = await tokenOf(wallet, await credits(wallet, 20), 8)
    const failed = await fetch(`${apiUrl}/flaky/broken`, { headers: { 'X-Cashu': token } })
    expect(failed.status).toBe(502)
    const receiptId = failed.headers.get('X-Cashu-Receipt') ?? ''
    expect(unrefunded).toEqual([receiptId])
    // Only the change came back.
    const paid = decodeToken(token).proofs
    const change = decodeToken(failed.headers.get('X-Cashu-Change') ?? '').proofs
    expect(sum(change)).toBe(sum(paid) - inputFee(paid.map(() => 100n)) - 5n)
    const later = await admin(`/v1/admin/receipts/${receiptId}/refund`, { reason: 'support ticket 12' })
    expect(later.body).toMatchObject({ replayed: false, refund: { amount: 5, reason: 'support ticket 12' } })
  })

  it('refunds a receipt once, on the operator’s word, and refuses an unknown receipt', async () => {
    const credit = await walletFor('credit')
    const { token } = await tokenOf(credit, await credits(credit, 20), 10)
    const paid = await admin('/v1/admin/redeem', { token, amount: 10, unit: 'credit' })
    const id = (paid.body.receipt as { id: string }).id
    const refunds = await Promise.all(
      Array.from({ length: 5 }, () => admin(`/v1/admin/receipts/${id}/refund`, { reason: 'complaint' })),
    )
    expect(new Set(refunds.map((r) => r.body.token)).size).toBe(1)
    expect(refunds.filter((r) => r.body.replayed === false)).toHaveLength(1)
    expect(total(await credit.receive(refunds[0]?.body.token as string))).toBe(10n - 1n)
    const unknown = await admin('/v1/admin/receipts/no-such-receipt/refund', {})
    expect(unknown.status).toBe(400)
    expect(unknown.body.code).toBe(ErrorCode.MALFORMED_REQUEST)
  })

  it('refunds part of a receipt, once, and no more than it was paid', async () => {
    const credit = await walletFor('credit')
    const { token } = await tokenOf(credit, await credits(credit, 20), 10)
    const paid = await admin('/v1/admin/redeem', { token, amount: 10, unit: 'credit' })
    const id = (paid.body.receipt as { id: string }).id
    const tooMuch = await admin(`/v1/admin/receipts/${id}/refund`, { amount: 11 })
    expect(tooMuch.status).toBe(400)
    const part = await admin(`/v1/admin/receipts/${id}/refund`, { amount: 4, reason: 'one item missing' })
    expect(part.body).toMatchObject({ replayed: false, refund: { amount: 4 } })
    const again = await admin(`/v1/admin/receipts/${id}/refund`, { amount: 10 })
    expect(again.body).toMatchObject({ replayed: true, refund: { amount: 4 }, token: part.body.token })
    expect(total(await credit.receive(part.body.token as string))).toBe(4n - 1n)
  })

  it('asks for ecash locked to its key, which nobody else can spend, and signs it to redeem it', async () => {
    const wallet = await walletFor('credit')
    const proofs = await credits(wallet, 40)
    const unpaid = await fetch(`${apiUrl}/locked/joke`)
    const request = decodePaymentRequest(unpaid.headers.get('X-Cashu') ?? '')
    const lock = request.toP2PKOptions()
    expect(lock?.pubkey).toBe(p2pkPublicKey(PAYEE_KEY))
    const { send } = await wallet.ops
      .send(5, proofs)
      .asP2PK(lock as NonNullable<typeof lock>)
      .includeFees(true)
      .run()
    const token = getEncodedToken({ mint: server.url, unit: 'credit', proofs: send })
    // Copied on its way, the token is worthless: another paywall (no key) and another wallet fail.
    expect((await fetch(`${apiUrl}/remote/joke`, { headers: { 'X-Cashu': token } })).status).toBe(400)
    await expect((await walletFor('credit')).receive(token)).rejects.toThrow()
    const paid = await fetch(`${apiUrl}/locked/joke`, { headers: { 'X-Cashu': token } })
    expect(paid.status).toBe(200)
    expect(((await paid.json()) as { joke: string }).joke).toBe('only I can spend this')
  })

  it('serves nothing and answers 503 while the mint cannot be reached, and the token stays unspent', async () => {
    const wallet = await walletFor('credit')
    const { token } = await tokenOf(wallet, await credits(wallet, 20), 8)
    const response = await fetch(`${apiUrl}/down/joke`, { headers: { 'X-Cashu': token } })
    expect(response.status).toBe(503)
    const paid = await fetch(`${apiUrl}/remote/joke`, { headers: { 'X-Cashu': token } })
    expect(paid.status).toBe(200)
  })

  it('answers 400 for a token in the wrong unit, too small, or from another mint', async () => {
    const sat = await walletFor('sat')
    const { proofs: satProofs } = await topUp(sat, 16)
    const wrongUnit = getEncodedToken({ mint: server.url, unit: 'sat', proofs: satProofs })
    const credit = await walletFor('credit')
    const small = await tokenOf(credit, await credits(credit, 10), 2)
    const foreign = getEncodedToken({ mint: 'https://other.mint', unit: 'credit', proofs: small.keep })
    for (const token of [wrongUnit, small.token, foreign]) {
      const response = await fetch(`${apiUrl}/remote/joke`, { headers: { 'X-Cashu': token } })
      expect(response.status).toBe(400)
    }
  })
})
