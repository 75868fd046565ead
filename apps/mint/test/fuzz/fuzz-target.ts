/**
 * The fuzzer's target: the real HTTP service (rate limit off) on PGlite or a fresh PostgreSQL
 * database, with real state to start from (proofs, paid and unpaid mint quotes, melt quotes, a
 * receipt), a valid request for every public and admin endpoint and the websocket, kept valid as the
 * campaign uses its material up, and every proof it handed out, for the check afterwards.
 */
import { bytesToHex, hashSecretToCurve } from '@cashu-mint/core/crypto'
import type { Proof } from '@cashu-mint/core/protocol'
import { blindOutputs, outputsFor, unblindProofs } from '@cashu-mint/core/testing'
import { decodeToken, encodeTokenV4 } from '@cashu-mint/core/token'
import { createPostgresDatabase } from '../../../../packages/storage/test/databases.ts'
import { curve, externalInvoice } from '../../../../packages/storage/test/mint-fixture.ts'
import { startTestServer, type TestServer } from '../test-server.ts'
import type { Json, RequestTemplate } from './mutations.ts'

export const ADMIN_TOKEN = 'fuzz-admin-token-0123456789abcdefghijkl'
export const BODY_LIMIT = 1_000_000

export interface FuzzTarget {
  server: TestServer
  templates: RequestTemplate[]
  headers: Record<RequestTemplate['listener'], Record<string, string>>
  /** Every proof the templates handed out: each must end unspent unless an answered request spent it. */
  proofs: Proof[]
  /**
   * Gives a template whose valid request succeeded fresh material (proofs, a quote), so the requests
   * after it still reach the signing and spending paths instead of stopping at "already spent".
   */
  refresh(endpoint: string): Promise<void>
  stop(): Promise<void>
}

const wire = (proofs: readonly Proof[]): Json =>
  proofs.map((p) => ({ amount: p.amount, id: p.id, secret: p.secret, C: p.C }))

export async function startFuzzTarget(database: 'PGlite' | 'PostgreSQL'): Promise<FuzzTarget> {
  const postgres = database === 'PostgreSQL' ? await createPostgresDatabase() : undefined
  const server = await startTestServer({
    DATABASE_URL: postgres?.url ?? 'memory://',
    CASHU_MINT_ADMIN_TOKEN: ADMIN_TOKEN,
    CASHU_MINT_RATE_LIMIT_PER_MINUTE: '0',
    CASHU_MINT_BODY_LIMIT_BYTES: String(BODY_LIMIT),
    CASHU_MINT_INPUT_FEE_PPK: '100',
  })
  const { mint } = server
  const keysetId = () => mint.keysets().keysets.find((k) => k.active)?.id as string
  const handedOut: Proof[] = []
  /** Fresh proofs for `amounts`, minted through an operator-issued quote (no Lightning wait). */
  async function proofsOf(...amounts: bigint[]): Promise<Proof[]> {
    const total = amounts.reduce((a, b) => a + b, 0n)
    const { quote } = await mint.credit({ amount: total, unit: 'sat', reference: 'fuzz material' })
    const blinded = blindOutputs(curve, keysetId(), amounts)
    const { signatures } = await mint.mint({ quote: quote.quote, outputs: blinded.outputs })
    const proofs = unblindProofs(curve, mint.keys(), blinded, signatures)
    handedOut.push(...proofs)
    return proofs
  }
  const outputs = (amount: bigint) => outputsFor(curve, keysetId(), amount).outputs as unknown as Json
  const paidQuote = async (amount: bigint) =>
    (await mint.credit({ amount, unit: 'sat', reference: 'fuzz quote' })).quote.quote
  const token = (proofs: Proof[]) => encodeTokenV4({ mint: server.url, unit: 'sat', proofs })

  /** Valid bodies of the requests that use material up: a new one after each success. */
  const bodies: Record<string, () => Promise<Json>> = {
    'POST /v1/swap': async () => {
      const inputs = await proofsOf(2n, 1n)
      return { inputs: wire(inputs), outputs: outputs(2n) }
    },
    'POST /v1/mint/bolt11': async () => ({ quote: await paidQuote(64n), outputs: outputs(64n) }),
    'POST /v1/mint/bolt11/batch': async () => ({
      quotes: [await paidQuote(8n), await paidQuote(5n)],
      quote_amounts: [8n, 5n],
      outputs: outputs(13n),
    }),
    'POST /v1/melt/bolt11': async () => {
      const quote = await mint.createMeltQuote({ request: externalInvoice(10n), unit: 'sat' })
      return {
        quote: quote.quote,
        inputs: wire(await proofsOf(16n)),
        outputs: blindOutputs(curve, keysetId(), [1n, 1n]).outputs as unknown as Json,
      }
    },
    'POST /v1/admin/redeem': async () => ({
      token: token(await proofsOf(4n, 8n)),
      amount: 1n,
      unit: 'sat',
      memo: 'fuzz',
    }),
  }
  const unpaid = await mint.createMintQuote({ amount: 5n, unit: 'sat' })
  const paid = await paidQuote(64n)
  const melt = await mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
  const redeemed = await proofsOf(16n)
  const receipt = await mint.redeem({ proofs: redeemed, amount: 1n, unit: 'sat' })
  // Spent here, before the fuzzer starts.
  handedOut.splice(handedOut.indexOf(redeemed[0] as Proof), 1)
  const ys = (await proofsOf(1n, 2n, 4n)).map((p) => bytesToHex(hashSecretToCurve(curve, p.secret)))
  const blanks = blindOutputs(curve, keysetId(), [1n, 1n]).outputs as unknown as Json
  const stateful = async (endpoint: string, path: string, weight: number): Promise<RequestTemplate> => ({
    endpoint,
    listener: endpoint.includes('/admin/') ? 'admin' : 'public',
    method: 'POST',
    path,
    body: await (bodies[endpoint] as () => Promise<Json>)(),
    weight,
  })

  const templates: RequestTemplate[] = [
    { endpoint: 'GET /v1/info', listener: 'public', method: 'GET', path: '/v1/info' },
    { endpoint: 'GET /v1/keys', listener: 'public', method: 'GET', path: '/v1/keys' },
    {
      endpoint: 'GET /v1/keys/{id}',
      listener: 'public',
      method: 'GET',
      path: '/v1/keys/:id',
      params: { id: keysetId() },
    },
    { endpoint: 'GET /v1/keysets', listener: 'public', method: 'GET', path: '/v1/keysets' },
    { endpoint: 'GET /health', listener: 'public', method: 'GET', path: '/health' },
    await stateful('POST /v1/swap', '/v1/swap', 40),
    {
      endpoint: 'POST /v1/checkstate',
      listener: 'public',
      method: 'POST',
      path: '/v1/checkstate',
      body: { Ys: ys },
      weight: 20,
    },
    {
      endpoint: 'POST /v1/restore',
      listener: 'public',
      method: 'POST',
      path: '/v1/restore',
      body: { outputs: blanks },
      weight: 20,
    },
    {
      endpoint: 'POST /v1/mint/quote/bolt11',
      listener: 'public',
      method: 'POST',
      path: '/v1/mint/quote/:method',
      params: { method: 'bolt11' },
      body: { amount: 21n, unit: 'sat', description: 'fuzz' },
      weight: 20,
    },
    {
      endpoint: 'GET /v1/mint/quote/bolt11/{id}',
      listener: 'public',
      method: 'GET',
      path: '/v1/mint/quote/bolt11/:id',
      params: { id: unpaid.quote },
      weight: 20,
    },
    {
      endpoint: 'POST /v1/mint/quote/bolt11/check',
      listener: 'public',
      method: 'POST',
      path: '/v1/mint/quote/bolt11/check',
      body: { quotes: [unpaid.quote, paid] },
    },
    await stateful('POST /v1/mint/bolt11', '/v1/mint/bolt11', 30),
    await stateful('POST /v1/mint/bolt11/batch', '/v1/mint/bolt11/batch', 20),
    {
      endpoint: 'POST /v1/melt/quote/bolt11',
      listener: 'public',
      method: 'POST',
      path: '/v1/melt/quote/bolt11',
      body: { request: externalInvoice(10n), unit: 'sat', options: { mpp: { amount: 5000n } } },
      weight: 20,
    },
    {
      endpoint: 'GET /v1/melt/quote/bolt11/{id}',
      listener: 'public',
      method: 'GET',
      path: '/v1/melt/quote/bolt11/:id',
      params: { id: melt.quote },
    },
    await stateful('POST /v1/melt/bolt11', '/v1/melt/bolt11', 30),
    {
      endpoint: 'WS subscribe',
      listener: 'ws',
      method: 'POST',
      path: '/v1/ws',
      body: {
        jsonrpc: '2.0',
        method: 'subscribe',
        params: { kind: 'bolt11_mint_quote', subId: 'fuzz', filters: [unpaid.quote] },
        id: 1n,
      },
      weight: 30,
    },
    {
      endpoint: 'WS unsubscribe',
      listener: 'ws',
      method: 'POST',
      path: '/v1/ws',
      body: { jsonrpc: '2.0', method: 'unsubscribe', params: { subId: 'fuzz' }, id: 2n },
    },
    { endpoint: 'GET /health (admin)', listener: 'admin', method: 'GET', path: '/health' },
    { endpoint: 'GET /metrics', listener: 'admin', method: 'GET', path: '/metrics' },
    { endpoint: 'GET /v1/admin/settings', listener: 'admin', method: 'GET', path: '/v1/admin/settings' },
    {
      endpoint: 'PATCH /v1/admin/settings',
      listener: 'admin',
      method: 'PATCH',
      path: '/v1/admin/settings',
      body: {
        name: 'fuzzed mint',
        motd: 'hello',
        contact: [{ method: 'email', info: 'ops@example.com' }],
        urls: ['https://mint.example'],
        melt_enabled: { sat: true },
      },
    },
    { endpoint: 'GET /v1/admin/keysets', listener: 'admin', method: 'GET', path: '/v1/admin/keysets' },
    {
      endpoint: 'POST /v1/admin/keysets/rotate',
      listener: 'admin',
      method: 'POST',
      path: '/v1/admin/keysets/rotate',
      body: { unit: 'sat', input_fee_ppk: 100n },
      weight: 1,
    },
    { endpoint: 'GET /v1/admin/balance', listener: 'admin', method: 'GET', path: '/v1/admin/balance' },
    { endpoint: 'GET /v1/admin/flows', listener: 'admin', method: 'GET', path: '/v1/admin/flows?hours=48' },
    {
      endpoint: 'GET /v1/admin/quotes',
      listener: 'admin',
      method: 'GET',
      path: '/v1/admin/quotes?kind=melt&limit=5',
    },
    {
      endpoint: 'GET /v1/admin/quotes/{id}',
      listener: 'admin',
      method: 'GET',
      path: '/v1/admin/quotes/:id',
      params: { id: paid },
    },
    {
      endpoint: 'GET /v1/admin/search',
      listener: 'admin',
      method: 'GET',
      path: '/v1/admin/search?q=:q',
      params: { q: paid },
    },
    {
      endpoint: 'POST /v1/admin/issue',
      listener: 'admin',
      method: 'POST',
      path: '/v1/admin/issue',
      body: { amount: 10n, unit: 'sat', reference: 'fuzz order 1' },
    },
    await stateful('POST /v1/admin/redeem', '/v1/admin/redeem', 20),
    {
      endpoint: 'POST /v1/admin/receipts/{id}/refund',
      listener: 'admin',
      method: 'POST',
      path: '/v1/admin/receipts/:id/refund',
      params: { id: receipt.receipt.id },
      body: { reason: 'fuzz' },
    },
    {
      endpoint: 'GET /v1/admin/backup',
      listener: 'admin',
      method: 'GET',
      path: '/v1/admin/backup',
      weight: 2,
    },
  ]
  return {
    server,
    templates,
    headers: { public: {}, ws: {}, admin: { authorization: `Bearer ${ADMIN_TOKEN}` } },
    proofs: handedOut,
    async refresh(endpoint) {
      const fresh = bodies[endpoint]
      const template = templates.find((t) => t.endpoint === endpoint)
      // A fuzzed settings change may have closed melting: the template then keeps its old body.
      const body = fresh && (await fresh().catch(() => undefined))
      if (template && body !== undefined) template.body = body
    },
    async stop() {
      await server.stop()
      await postgres?.drop()
    },
  }
}

/**
 * The secrets a successful request may have spent: the inputs of a swap or melt, the proofs of a
 * redeemed token. Any proof the fuzzer holds that is spent must be among them.
 */
export function secretsSpentBy(endpoint: string, body: unknown): string[] {
  const value = body as { inputs?: { secret?: unknown }[]; token?: unknown }
  if (endpoint === 'POST /v1/admin/redeem' && typeof value?.token === 'string') {
    try {
      return decodeToken(value.token).proofs.map((p) => p.secret)
    } catch {
      return []
    }
  }
  if (!Array.isArray(value?.inputs)) return []
  return value.inputs.map((p) => p?.secret).filter((s): s is string => typeof s === 'string')
}
