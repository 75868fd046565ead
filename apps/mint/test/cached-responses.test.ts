/**
 * NUT-19 through the service: a retried swap gets the identical answer, also after a restart
 * (the cache is in the database), and a different request is not confused with it.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { selectCurveBackend } from '@cashu-mint/core/crypto'
import { type GetKeysResponse, parseJson, stringifyJson } from '@cashu-mint/core/protocol'
import { outputsFor, unblindProofs } from '@cashu-mint/core/testing'
import { afterAll, expect, it } from 'vitest'
import { waitFor } from '../../../packages/storage/test/mint-fixture.ts'
import { startTestServer, type TestServer } from './test-server.ts'

const curve = selectCurveBackend('native')
let server: TestServer | undefined
afterAll(async () => {
  await server?.stop()
})

it('replays a swap response to a retry, before and after a restart', async () => {
  // PGlite on disk, so the cache outlives the restart below.
  const dataDir = await mkdtemp(join(tmpdir(), 'mint-cache-'))
  const env = { CASHU_MINT_DATA_DIR: dataDir, DATABASE_URL: join(dataDir, 'pglite') }
  server = await startTestServer(env)
  const call = async (path: string, body?: unknown) => {
    const response = await fetch(
      `${server?.url}${path}`,
      body === undefined ? {} : { method: 'POST', body: stringifyJson(body) },
    )
    return { status: response.status, text: await response.text() }
  }
  const keys = parseJson((await call('/v1/keys')).text) as GetKeysResponse
  const keysetId = keys.keysets.find((k) => k.id.startsWith('01'))?.id as string
  const quote = parseJson((await call('/v1/mint/quote/bolt11', { amount: 8n, unit: 'sat' })).text) as {
    quote: string
  }
  await waitFor(async () => (await call(`/v1/mint/quote/bolt11/${quote.quote}`)).text.includes('"PAID"'))
  const blinded = outputsFor(curve, keysetId, 8n)
  const minted = parseJson(
    (await call('/v1/mint/bolt11', { quote: quote.quote, outputs: blinded.outputs })).text,
  )
  const proofs = unblindProofs(curve, keys, blinded, (minted as { signatures: never[] }).signatures)

  const swap = { inputs: proofs, outputs: outputsFor(curve, keysetId, 8n).outputs }
  const first = await call('/v1/swap', swap)
  expect(first.status).toBe(200)
  expect(await call('/v1/swap', swap)).toEqual(first)

  await server.stop()
  server = await startTestServer(env)
  expect(await call('/v1/swap', swap)).toEqual(first)
  const other = await call('/v1/swap', { ...swap, outputs: outputsFor(curve, keysetId, 8n).outputs })
  expect(other.status).toBe(400)
  expect(parseJson(other.text)).toMatchObject({ code: 11001n })
})
