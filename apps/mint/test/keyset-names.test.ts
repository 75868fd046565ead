/**
 * One keyset per unit, and one set of books whichever name a wallet used: by default wallets see a
 * single `01` keyset per unit; with CASHU_MINT_V1_KEYSET_IDS they also see its `00` name, and what
 * is minted or spent under either name counts once in the balance report, the dashboard's figures
 * and the metrics. A database that served `00` names keeps them, inactive, after the switch is off.
 */
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getEncodedToken, Wallet } from '@cashu/cashu-ts'
import { selectCurveBackend } from '@cashu-mint/core/crypto'
import { mintPublicKey } from '@cashu-mint/core/keys'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer, topUp } from './test-server.ts'

const TOKEN = 'keyset-names-test-token-0123456789abcdef'
let server: TestServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

const get = async <T>(url: string, token?: string): Promise<T> => {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {})
  expect(response.status).toBe(200)
  return (await (response.headers.get('content-type')?.includes('json')
    ? response.json()
    : response.text())) as T
}
type Keysets = { keysets: { id: string; unit: string; active: boolean }[] }
type Balance = {
  units: Record<string, { outstanding: number }>
  keysets: { keysetId: string; issued: number; redeemed: number; outstanding: number }[]
}

/** A metric's value from the Prometheus text, for the given labels. */
function metric(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels))
  return line === undefined ? 0 : Number(line.split(' ').at(-1))
}

describe('keyset names', () => {
  it('lists one 01 keyset per unit by default, and a NUT-06 pubkey derived from the seed', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mint-names-'))
    const units = '[{"unit":"sat"},{"unit":"usd","rate":{"msat_per_unit":"10000"}}]'
    server = await startTestServer({ CASHU_MINT_DATA_DIR: dataDir, CASHU_MINT_UNITS: units })
    const { keysets } = await get<Keysets>(`${server.url}/v1/keysets`)
    expect(keysets.map((k) => [k.unit, k.id.slice(0, 2), k.active]).sort()).toEqual([
      ['sat', '01', true],
      ['usd', '01', true],
    ])
    const seed = await readFile(join(dataDir, 'seed'), 'utf8')
    const info = await get<{ pubkey: string }>(`${server.url}/v1/info`)
    expect(info.pubkey).toBe(mintPublicKey(selectCurveBackend('native'), seed.trim()))
    await server.stop()
    // The same seed after a restart: the same key.
    server = await startTestServer({ CASHU_MINT_DATA_DIR: dataDir, CASHU_MINT_UNITS: units })
    expect((await get<{ pubkey: string }>(`${server.url}/v1/info`)).pubkey).toBe(info.pubkey)
  })

  it('counts ecash once whichever name it was minted and spent under, and keeps old names valid', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mint-names-'))
    const env = {
      CASHU_MINT_DATA_DIR: dataDir,
      CASHU_MINT_ADMIN_TOKEN: TOKEN,
      DATABASE_URL: join(dataDir, 'db'),
    }
    server = await startTestServer({ ...env, CASHU_MINT_V1_KEYSET_IDS: 'true' })
    const { keysets } = await get<Keysets>(`${server.url}/v1/keysets`)
    const v1 = keysets.find((k) => k.id.startsWith('00'))?.id as string
    const v2 = keysets.find((k) => k.id.startsWith('01'))?.id as string
    expect(keysets.filter((k) => k.active)).toHaveLength(2)

    const wallet = new Wallet(server.url, { unit: 'sat' })
    await wallet.loadMint()
    const kept = await topUp(wallet.withKeyset(v1), 64)
    const spent = await topUp(wallet.withKeyset(v1), 32)
    const viaV2 = await topUp(wallet.withKeyset(v2), 64)
    expect(new Set([...kept.proofs, ...spent.proofs].map((p) => p.id))).toEqual(new Set([v1]))
    expect(new Set(viaV2.proofs.map((p) => p.id))).toEqual(new Set([v2]))
    // 32 of the v1-named ecash spent in a swap into v2-named outputs.
    const token = (proofs: typeof kept.proofs) =>
      getEncodedToken({ mint: server?.url ?? '', proofs, unit: 'sat' })
    await wallet.withKeyset(v2).receive(token(spent.proofs))

    const balance = await get<Balance>(`${server.adminUrl}/v1/admin/balance`, TOKEN)
    expect(balance.keysets).toHaveLength(1)
    expect(balance.keysets[0]).toMatchObject({ keysetId: v2, issued: 192, redeemed: 32, outstanding: 160 })
    expect(balance.units.sat?.outstanding).toBe(160)
    const admin = await get<{ keysets: { id: string; v1_id: string | null }[] }>(
      `${server.adminUrl}/v1/admin/keysets`,
      TOKEN,
    )
    expect(admin.keysets).toEqual([expect.objectContaining({ id: v2, v1_id: v1 })])
    const metrics = await get<string>(`${server.adminUrl}/metrics`, TOKEN)
    expect(metric(metrics, 'cashu_mint_outstanding_ecash', 'unit="sat"')).toBe(160)
    expect(metric(metrics, 'cashu_mint_operation_amount_total', 'operation="mint",unit="sat"')).toBe(160)
    expect(metric(metrics, 'cashu_mint_operation_amount_total', 'operation="swap",unit="sat"')).toBe(32)
    expect(metrics).not.toContain('unit="unknown"')
    // The gauge reads the running totals at every scrape: the next top-up shows at once.
    await topUp(wallet.withKeyset(v2), 8)
    const again = await get<string>(`${server.adminUrl}/metrics`, TOKEN)
    expect(metric(again, 'cashu_mint_operation_amount_total', 'operation="mint",unit="sat"')).toBe(168)
    expect(metric(again, 'cashu_mint_outstanding_ecash', 'unit="sat"')).toBe(168)
    await server.stop()

    // The switch off: the 00 name is retired (listed inactive, signs nothing new), but the ecash
    // wallets hold under it is still recognised, spends and counts.
    server = await startTestServer(env)
    const listed = await get<Keysets>(`${server.url}/v1/keysets`)
    expect(listed.keysets.map((k) => [k.id, k.active]).sort()).toEqual([
      [v1, false],
      [v2, true],
    ])
    expect((await get<Keysets>(`${server.url}/v1/keys/${v1}`)).keysets[0]?.id).toBe(v1)
    const fresh = new Wallet(server.url, { unit: 'sat' })
    await fresh.loadMint()
    // A wallet started afresh (keys reloaded) spends the ecash it holds under the retired name.
    const { keep, send } = await fresh.send(32, kept.proofs)
    expect([...keep, ...send].every((p) => p.id === v2)).toBe(true)
    const after = await get<Balance>(`${server.adminUrl}/v1/admin/balance`, TOKEN)
    // 8 more minted while checking the gauge.
    expect(after.keysets[0]).toMatchObject({ keysetId: v2, issued: 264, redeemed: 96, outstanding: 168 })
  })
})
