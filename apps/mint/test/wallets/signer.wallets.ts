/**
 * The keys out of the internet-facing process, with signers and mints no one here wrote:
 * - this mint (started the README's way, CASHU_MINT_SIGNER) with CDK's `signatory` 0.18.3 as its
 *   signer runs the lane's whole flow with cashu-ts 4.8, serves exactly the signatory's keys and
 *   holds no seed;
 * - cdk-mintd 0.18.3 with `cashu-mint signer` as its signatory serves CDK's wallet CLI;
 * - `cashu-mint signer` killed under swap load and started again: every wallet gets its answer on
 *   retry, and the balances are exact.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as cashuTs from '@cashu/cashu-ts'
import { bytesToHex, hashSecretToCurve, selectCurveBackend } from '@cashu-mint/core/crypto'
import { stringifyJson } from '@cashu-mint/core/protocol'
import { outputsFor } from '@cashu-mint/core/testing'
import { connectSigner } from '@cashu-mint/signer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { externalInvoice, waitFor } from '../../../../packages/storage/test/mint-fixture.ts'
import { freePort } from '../free-port.ts'
import { startCdkMintd } from '../peers/cdk-mintd.ts'
import { peerCertificates } from '../peers/cdk-processor.ts'
import type { PeerProcess } from '../peers/peer-process.ts'
import { type RunningSigner, startCashuMintSigner, startCdkSignatory } from '../peers/signers.ts'
import { cashuTsWallets } from './cashu-ts-wallet.ts'
import { cdkWallet } from './cdk-wallet.ts'
import { CONFIGS, type ReadmeMint, startReadmeMint } from './readme-mint.ts'
import { walletFlow } from './wallet-flow.ts'

const curve = selectCurveBackend('noble')
const MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about'
const certs = await peerCertificates()
const started: PeerProcess[] = []
afterAll(async () => {
  await Promise.all(started.map((peer) => peer.kill()))
})

async function cdkSignatory(): Promise<RunningSigner> {
  const signatory = await startCdkSignatory({
    workDir: await mkdtemp(join(tmpdir(), 'cdk-signatory-')),
    port: await freePort(),
    tlsDir: certs.server,
    mnemonic: MNEMONIC,
  })
  started.push(signatory)
  return signatory
}

const signerEnv = (signer: RunningSigner) => ({
  CASHU_MINT_SIGNER: signer.address,
  CASHU_MINT_SIGNER_TLS_DIR: certs.client,
})

// The lane's flow, each configuration on a signatory of its own (its keysets are per unit and fee).
for (const config of CONFIGS)
  walletFlow(
    "cashu-ts 4.8, keys in CDK's signatory",
    cashuTsWallets<cashuTs.Proof, cashuTs.MeltQuoteBolt11Response>(cashuTs),
    { configs: [config], env: signerEnv(await cdkSignatory()) },
  )

describe.sequential("this mint on CDK's signatory 0.18.3", () => {
  let signatory: RunningSigner
  let mint: ReadmeMint
  let dataDir: string

  beforeAll(async () => {
    signatory = await cdkSignatory()
    dataDir = await mkdtemp(join(tmpdir(), 'signer-mint-'))
    mint = await startReadmeMint(CONFIGS[0] as (typeof CONFIGS)[0], {
      ...signerEnv(signatory),
      CASHU_MINT_DATA_DIR: dataDir,
    })
  })
  afterAll(async () => {
    await mint?.stop()
  })

  it("serves exactly the signatory's keys and its public key", async () => {
    const client = await connectSigner({ address: signatory.address, tlsDir: certs.client })
    const fromSignatory = await client.keysets()
    await client.close()
    const active = fromSignatory.keysets.filter((k) => k.active)
    expect(active.map((k) => k.unit)).toEqual(['sat'])
    const served = (await (await fetch(`${mint.url}/v1/keys`)).json()) as {
      keysets: { id: string; unit: string; keys: Record<string, string> }[]
    }
    expect(served.keysets.map(({ id, unit, keys }) => ({ id, unit, keys }))).toEqual(
      active.map((k) => ({
        id: k.id,
        unit: k.unit,
        keys: Object.fromEntries([...k.keys].map(([amount, key]) => [String(amount), key])),
      })),
    )
    expect(Object.keys(served.keysets[0]?.keys ?? {})).toHaveLength(64)
    const info = (await (await fetch(`${mint.url}/v1/info`)).json()) as { pubkey: string }
    expect(info.pubkey).toBe(fromSignatory.publicKey)
  })

  it('holds no seed: not in its data folder, not in its output', async () => {
    const files = await readdir(dataDir, { recursive: true })
    expect(files).not.toContain('seed')
    expect(files).toContain('mint-made-secret')
    expect(mint.output()).not.toMatch(/abandon/)
    const seedOf = await readFile(join(dataDir, 'mint-made-secret'), 'utf8')
    expect(seedOf.trim()).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe.sequential('cdk-mintd 0.18.3 with `cashu-mint signer` as its signatory', () => {
  let url: string

  beforeAll(async () => {
    const signer = await startCashuMintSigner({
      dataDir: await mkdtemp(join(tmpdir(), 'cashu-mint-signer-')),
      port: await freePort(),
      tlsDir: certs.server,
    })
    started.push(signer)
    const port = await freePort()
    const mintd = await startCdkMintd({
      workDir: await mkdtemp(join(tmpdir(), 'cdk-mintd-signer-')),
      port,
      secret: { signatory: { port: signer.port, tlsDir: certs.client } },
      inputFeePpk: 0,
    })
    started.push(mintd)
    url = mintd.url
  })

  it("CDK's wallet CLI mints, sends, receives and melts through it", async () => {
    const keysets = (await (await fetch(`${url}/v1/keysets`)).json()) as { keysets: { id: string }[] }
    expect(keysets.keysets[0]?.id).toMatch(/^01[0-9a-f]{64}$/)
    const alice = await cdkWallet(url, 'sat', 'alice')
    const bob = await cdkWallet(url, 'sat', 'bob')
    await alice.mint(1000)
    expect(await alice.balance()).toBe(1000)
    await bob.receive(await alice.send(100))
    expect(await bob.balance()).toBe(100)
    expect(await alice.balance()).toBe(900)
    await alice.pay(externalInvoice(200n))
    expect(await alice.balance()).toBeLessThan(700)
    expect(await alice.balance()).toBeGreaterThan(600)
  })
})

describe.sequential('`cashu-mint signer` killed under swap load and started again', () => {
  const WALLETS = 4
  const EACH = 256
  let signer: RunningSigner
  let signerDir: string
  let mint: ReadmeMint

  beforeAll(async () => {
    signerDir = await mkdtemp(join(tmpdir(), 'cashu-mint-signer-'))
    signer = await startCashuMintSigner({ dataDir: signerDir, port: await freePort(), tlsDir: certs.server })
    started.push(signer)
    mint = await startReadmeMint(CONFIGS[0] as (typeof CONFIGS)[0], {
      ...signerEnv(signer),
      CASHU_MINT_SIGNER_TIMEOUT_MS: '1000',
    })
  })
  afterAll(async () => {
    await mint?.stop()
  })

  it('every wallet gets its answer on retry, and the balances are exact', async () => {
    const wallets = await Promise.all(
      Array.from({ length: WALLETS }, async () => {
        const wallet = new cashuTs.Wallet(mint.url, { unit: 'sat' })
        await wallet.loadMint()
        const quote = await wallet.createMintQuoteBolt11(EACH)
        await waitFor(async () => (await wallet.checkMintQuoteBolt11(quote.quote)).state === 'PAID', 30_000)
        return { wallet, proofs: await wallet.mintProofsBolt11(EACH, quote.quote) }
      }),
    )
    let refused = 0
    let swaps = 0
    let stop = false
    // Each wallet receives its own ecash again and again: every receive is a swap at the mint.
    const load = wallets.map(async (held) => {
      while (!stop) {
        const token = cashuTs.getEncodedToken({ mint: mint.url, unit: 'sat', proofs: held.proofs })
        try {
          held.proofs = await held.wallet.receive(token)
          swaps++
        } catch (error) {
          // Told to retry (503): the same token again, nothing of it was spent.
          expect(String((error as Error).message)).toMatch(/unavailable|retry/i)
          refused++
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      }
    })
    await waitFor(async () => swaps >= 20, 60_000)
    await signer.kill('SIGKILL')
    // What a wallet hears meanwhile: 503, retry shortly (the signer checks inputs before anything is stored).
    const aside = wallets[0] as (typeof wallets)[0]
    const { keysets } = (await (await fetch(`${mint.url}/v1/keysets`)).json()) as {
      keysets: { id: string; active: boolean }[]
    }
    const outputs = outputsFor(curve, keysets.find((k) => k.active)?.id as string, BigInt(EACH)).outputs
    const during = await fetch(`${mint.url}/v1/swap`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stringifyJson({
        inputs: aside.proofs.map((p) => ({
          id: p.id,
          amount: p.amount.toBigInt(),
          secret: p.secret,
          C: p.C,
        })),
        outputs,
      }),
    })
    await waitFor(async () => refused >= WALLETS, 30_000)
    signer = await startCashuMintSigner({ dataDir: signerDir, port: signer.port, tlsDir: certs.server })
    started.push(signer)
    const afterRestart = swaps
    await waitFor(async () => swaps >= afterRestart + 20, 60_000)
    stop = true
    await Promise.all(load)

    expect(during.status).toBe(503)
    expect(during.headers.get('retry-after')).toMatch(/^[0-9]+$/)
    expect(await during.json()).toMatchObject({ detail: 'signer temporarily unavailable, retry shortly' })
    for (const held of wallets) {
      expect(held.proofs.reduce((sum, p) => sum + p.amount.toNumber(), 0)).toBe(EACH)
      const states = (await (
        await fetch(`${mint.url}/v1/checkstate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            Ys: held.proofs.map((p) => bytesToHex(hashSecretToCurve(curve, p.secret))),
          }),
        })
      ).json()) as { states: { state: string }[] }
      expect(states.states.every((s) => s.state === 'UNSPENT')).toBe(true)
    }
    const balance = (await (
      await fetch(`${mint.adminUrl}/v1/admin/balance`, {
        headers: { authorization: `Bearer ${mint.adminToken}` },
      })
    ).json()) as { units: { sat: { outstanding: number } } }
    expect(balance.units.sat.outstanding).toBe(WALLETS * EACH)
    // The operator's log says when the signer went away and when it came back.
    expect(mint.output()).toMatch(/signer unavailable: requests answer 503 until it is back/)
    expect(mint.output()).toMatch(/signer available again/)
  })
})
