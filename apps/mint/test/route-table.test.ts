/**
 * The route table (src/public/routes.ts) is the one list of public endpoints: the Hono app serves
 * each entry and nothing else, the OpenAPI document describes each entry, /v1/info advertises the
 * NUT-19 and NUT-29 lines the table says, the response cache stores the entries the table says,
 * access control keeps open exactly the entries the table marks, and every entry that changes
 * state tells NUT-22 recovery what it leaves. An endpoint added anywhere but the table fails here.
 */
import { startMint } from '@cashu-mint/core/mint'
import { FakeWallet } from '@cashu-mint/fake-wallet'
import { openStore } from '@cashu-mint/storage'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { testSettings } from '../../../packages/storage/test/mint-fixture.ts'
import { openApiDocument } from '../src/api/openapi.ts'
import { createApp, routesOf } from '../src/public/app.ts'
import { mintInfo } from '../src/public/mint-info.ts'
import { openPathsOf } from '../src/public/protected-routes.ts'
import { honoPath, infoRoute, type RouteEntry, rulePath } from '../src/public/routes.ts'

let mint: Awaited<ReturnType<typeof startMint>>
let store: Awaited<ReturnType<typeof openStore>>
let routes: RouteEntry[]

beforeAll(async () => {
  store = await openStore({ url: 'memory://' })
  const backend = new FakeWallet({ autoPayDelayMs: 0 })
  mint = await startMint({
    store,
    backends: [{ method: 'bolt11', unit: 'sat', backend }],
    keys: { seed: 'route table test seed' },
    settings: { ...testSettings, blindAuth: { batMaxMint: 5, mintRequestsPerMinute: 5 } },
    keysets: [{ unit: 'sat', inputFeePpk: 0n }],
    recoveryIntervalMs: 0,
  })
  routes = [infoRoute(() => ({})), ...routesOf(mint)]
})
afterAll(async () => {
  await mint?.stop()
  await store?.close()
})

const key = (method: string, path: string) => `${method} ${path}`

it('serves every entry of the table, and under /v1 nothing else', () => {
  const app = createApp(mint, { corsOrigin: '*', bodyLimitBytes: 10_000 })
  // Handlers, not middleware (a middleware's path is a pattern ending in *).
  const served = new Set(
    app.routes
      .filter((r) => r.path.startsWith('/v1/') && !r.path.endsWith('*'))
      .map((r) => key(r.method, r.path)),
  )
  const table = new Set(routes.map((r) => key(r.method, honoPath(r.path))))
  expect([...served].sort()).toEqual([...table].sort())
})

it('describes every entry in the OpenAPI document, and nothing else but /health', () => {
  const doc = openApiDocument('public', 'test', routes) as { paths: Record<string, Record<string, unknown>> }
  const described = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => key(method.toUpperCase(), path)),
  )
  expect(described.sort()).toEqual([...routes.map((r) => key(r.method, r.path)), 'GET /health'].sort())
})

it('advertises in /v1/info the NUT-19 endpoints and NUT-29 methods of the table', () => {
  const info = mintInfo(mint.settings, mint.paymentRoutes(), {
    name: 'test',
    pubkey: mint.publicKey,
    version: 'test',
    nowSeconds: 0n,
    cacheTtlSeconds: 60,
  }) as unknown as {
    nuts: Record<string, { cached_endpoints?: { method: string; path: string }[]; methods?: unknown }>
  }
  const replayed = routes.filter((r) => r.replay).map((r) => key(r.method, r.path))
  expect(info.nuts['19']?.cached_endpoints?.map((e) => key(e.method, e.path)).sort()).toEqual(replayed.sort())
  expect(info.nuts['29']?.methods).toEqual(['bolt11'])
})

it('keeps open exactly the entries the table marks, and every state change leaves NUT-22 evidence', () => {
  const open = openPathsOf(routes)
  for (const route of routes) expect(open.includes(rulePath(route.path)), route.path).toBe(!route.protectable)
  // What a wallet can have received without the answer: signatures (swap, mint) or a payment (melt).
  const changesState = routes.filter((r) => r.replay)
  expect(changesState.map((r) => r.evidence)).not.toContain(undefined)
  expect(routes.filter((r) => r.evidence && !r.replay)).toEqual([])
  // The response cache stores only what the engine does not replay itself.
  expect(routes.filter((r) => r.replay === 'stored').map((r) => key(r.method, r.path))).toEqual([
    'POST /v1/melt/bolt11',
  ])
})
