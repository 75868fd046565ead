import { Wallet } from '@cashu/cashu-ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../../packages/storage/test/mint-fixture.ts'
import { loadConfig } from '../src/config/config.ts'
import { connectBackends } from '../src/config/payment-backends.ts'
import { freePort } from './free-port.ts'
import { peerCertificates, type RunningProcessor, startCdkProcessor } from './peers/cdk-processor.ts'
import { type RunningLnbits, startLnbits } from './peers/lnbits.ts'
import { startTestServer, type TestServer } from './test-server.ts'

let processor: RunningProcessor
let lnbits: RunningLnbits
let certs: { server: string; client: string }
let otherCerts: { server: string; client: string }
const clock = { nowMs: () => Date.now() }

const connectWith = (
  backends: unknown[],
  units = '[{"unit":"sat"},{"unit":"usd","rate":{"msat_per_unit":"10000"}}]',
) =>
  connectBackends(
    loadConfig({ CASHU_MINT_BACKENDS: JSON.stringify(backends), CASHU_MINT_UNITS: units }),
    clock,
  )

beforeAll(async () => {
  certs = await peerCertificates()
  otherCerts = await peerCertificates()
  ;[processor, lnbits] = await Promise.all([
    startCdkProcessor({ backend: { kind: 'FAKEWALLET' }, tlsDir: certs.server }),
    startLnbits({ kind: 'FakeWallet' }),
  ])
}, 180_000)
afterAll(async () => {
  await processor?.kill()
  await lnbits?.kill()
})

describe('configuring payment backends', () => {
  it('refuses an unknown kind and a missing credential, naming the setting', () => {
    expect(() => loadConfig({ CASHU_MINT_BACKENDS: '[{"kind":"strike","units":["sat"]}]' })).toThrow(
      /CASHU_MINT_BACKENDS: 0\.kind: Invalid discriminator value\. Expected 'fake' \| 'lnd' \| 'cdk-processor' \| 'lnbits'/,
    )
    expect(() =>
      loadConfig({ CASHU_MINT_BACKENDS: '[{"kind":"lnbits","url":"http://127.0.0.1:1"}]' }),
    ).toThrow(/CASHU_MINT_BACKENDS: 0\.admin_key_path: needs admin_key_path/)
    expect(() =>
      loadConfig({ CASHU_MINT_BACKENDS: '[{"kind":"fake"}]', CASHU_MINT_LIGHTNING: 'lnd' }),
    ).toThrow(/CASHU_MINT_LIGHTNING: set CASHU_MINT_BACKENDS or CASHU_MINT_LIGHTNING, not both/)
  })

  it('refuses two backends claiming one method and unit, and a unit without a price', async () => {
    await expect(connectWith([{ kind: 'fake' }, { kind: 'fake', units: ['usd'] }])).rejects.toThrow(
      /CASHU_MINT_BACKENDS: 1: bolt11 for usd is already served by backend 0 \(fake\)/,
    )
    await expect(connectWith([{ kind: 'fake', units: ['eur'] }])).rejects.toThrow(
      /CASHU_MINT_BACKENDS: 0\.units: eur is not a configured unit/,
    )
    await expect(
      connectWith([{ kind: 'fake', units: ['credit'] }], '[{"unit":"sat"},{"unit":"credit"}]'),
    ).rejects.toThrow(/credit has no Lightning price/)
  })

  it('refuses a processor it cannot reach, or whose certificate is not from the CA given', async () => {
    const nobody = `127.0.0.1:${await freePort()}`
    await expect(
      connectWith([{ kind: 'cdk-processor', units: ['sat'], address: nobody, tls_dir: certs.client }]),
    ).rejects.toThrow(
      new RegExp(
        `CASHU_MINT_BACKENDS\\[0\\] \\(cdk-processor\\): cannot reach the payment processor at ${nobody}`,
      ),
    )
    await expect(
      connectWith([
        { kind: 'cdk-processor', units: ['sat'], address: processor.address, tls_dir: otherCerts.client },
      ]),
    ).rejects.toThrow(/CASHU_MINT_BACKENDS\[0\] \(cdk-processor\): .*(TLS|certificate|handshake)/)
    await expect(
      connectWith([{ kind: 'cdk-processor', units: ['sat'], address: processor.address }]),
    ).rejects.toThrow(/needs tls_dir/)
  })

  it('refuses LNbits keys that are wrong, or that cannot pay', async () => {
    const wallet = await lnbits.newWallet('mint')
    await expect(
      connectWith([{ kind: 'lnbits', units: ['usd'], url: lnbits.url, admin_key: 'f'.repeat(32) }]),
    ).rejects.toThrow(/CASHU_MINT_BACKENDS\[0\] \(lnbits\): LNbits at .* refused the key/)
    await expect(
      connectWith([{ kind: 'lnbits', units: ['usd'], url: lnbits.url, admin_key: wallet.invoiceKey }]),
    ).rejects.toThrow(/took the key as an invoice key: the mint pays, it needs the admin key/)
    const connected = await connectWith([
      { kind: 'lnbits', units: ['usd'], url: lnbits.url, admin_key: wallet.adminKey },
    ])
    expect(connected.routes.map((r) => `${r.method}/${r.unit}`)).toEqual(['bolt11/usd'])
  })
})

describe('a mint with two backends', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({
      CASHU_MINT_UNITS: '[{"unit":"sat"},{"unit":"usd","rate":{"msat_per_unit":"10000"}}]',
      CASHU_MINT_BACKENDS: JSON.stringify([
        {
          kind: 'cdk-processor',
          name: 'processor',
          units: ['sat'],
          address: processor.address,
          tls_dir: certs.client,
        },
        { kind: 'fake', name: 'cards', units: ['usd'], delay_ms: 100 },
      ]),
    })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('tops up each unit through its own backend and advertises what each can do', async () => {
    const info = (await (await fetch(`${server.url}/v1/info`)).json()) as {
      nuts: Record<string, { methods: { method: string; unit: string; options?: Record<string, boolean> }[] }>
    }
    expect(info.nuts['4']?.methods.map((m) => `${m.method}/${m.unit}`)).toEqual(['bolt11/sat', 'bolt11/usd'])
    // The fake processor says it pays no amountless invoice; the FakeWallet does.
    expect(info.nuts['5']?.methods).toContainEqual(
      expect.objectContaining({ unit: 'sat', options: { amountless: false } }),
    )
    expect(info.nuts['5']?.methods).toContainEqual(
      expect.objectContaining({ unit: 'usd', options: { amountless: true } }),
    )
    for (const unit of ['sat', 'usd']) {
      const wallet = new Wallet(server.url, { unit })
      await wallet.loadMint()
      const quote = await wallet.createMintQuoteBolt11(21)
      // The fake processor pays its invoices itself after 2 s.
      await waitFor(async () => (await wallet.checkMintQuoteBolt11(quote.quote)).state === 'PAID', 30_000)
      const proofs = await wallet.mintProofsBolt11(21, quote.quote)
      expect(proofs.reduce((sum, p) => sum + p.amount.toNumber(), 0)).toBe(21)
    }
    const backends = server.backends.map((b) => [b.label, b.backend.name])
    expect(backends).toEqual([
      ['processor', `cdk-processor:${processor.address}`],
      ['cards', 'cards'],
    ])
  })
})
