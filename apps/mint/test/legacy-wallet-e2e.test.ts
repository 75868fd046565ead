import { CashuMint, CashuWallet } from 'cashu-ts-v2'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { waitFor } from '../../../packages/storage/test/mint-fixture.ts'
import { startTestServer, type TestServer } from './test-server.ts'

let server: TestServer
beforeAll(async () => {
  // cashu-ts 2.x only uses `00` keyset ids: the operator serves them beside the `01` ids.
  server = await startTestServer({ CASHU_MINT_FAKE_DELAY_MS: '50', CASHU_MINT_V1_KEYSET_IDS: 'true' })
})
afterAll(async () => {
  await server?.stop()
})

it('cashu-ts 2.9 mints, sends and receives', async () => {
  const wallet = new CashuWallet(new CashuMint(server.url), { unit: 'sat' })
  await wallet.loadMint()
  const quote = await wallet.createMintQuote(64)
  await waitFor(async () => (await wallet.checkMintQuote(quote.quote)).state === 'PAID')
  const proofs = await wallet.mintProofs(64, quote.quote)
  expect(proofs.reduce((a, p) => a + p.amount, 0)).toBe(64)
  const { send } = await wallet.send(10, proofs)
  const received = await wallet.receive({ mint: server.url, unit: 'sat', proofs: send })
  expect(received.reduce((a, p) => a + p.amount, 0)).toBe(10)
  // It works with the v1 (`00`) alias of the active keyset.
  const ids = new Set([...proofs, ...received].map((p) => p.id))
  expect([...ids].every((id) => id.startsWith('00'))).toBe(true)
  const served = (await (await fetch(`${server.url}/v1/keysets`)).json()) as { keysets: { id: string }[] }
  for (const id of ids) expect(served.keysets.map((k) => k.id)).toContain(id)
})
