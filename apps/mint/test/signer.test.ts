/**
 * The signer in another process, in-process here: `serveSigner` over a local signer (its own seed
 * and keyset store) and an engine whose keys are `connectSigner`'s, over mutual TLS with
 * certificates as `cashu-mint certs` makes them. The real processes (CDK's signatory, `cashu-mint
 * signer`, cdk-mintd) are in wallets/signer.wallets.ts.
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hashSecretToCurve, hexToBytes, verifyDleq } from '@cashu-mint/core/crypto'
import {
  createLocalSigner,
  type MintStore,
  type Signer,
  systemClock,
  UnavailableError,
} from '@cashu-mint/core/mint'
import { outputsFor } from '@cashu-mint/core/testing'
import { connectSigner, type RemoteSigner, type SignerServer, serveSigner } from '@cashu-mint/signer'
import { openStore } from '@cashu-mint/storage'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { curve, startTestMint, type TestMint } from '../../../packages/storage/test/mint-fixture.ts'
import { loadConfig } from '../src/config/config.ts'
import { mintKeys } from '../src/config/mint-keys.ts'
import { runCashuMint } from './cashu-mint-cli.ts'
import { peerCertificates } from './peers/cdk-processor.ts'

const total = (amounts: readonly { amount: bigint }[]) => amounts.reduce((sum, p) => sum + p.amount, 0n)

describe('an engine whose keys are in a signer it reaches over mutual TLS', () => {
  let certs: { server: string; client: string }
  let signerStore: MintStore & { close(): Promise<void> }
  let local: Signer
  let server: SignerServer
  let remote: RemoteSigner
  let test: TestMint
  const logged: string[] = []

  const serve = (port = 0) =>
    serveSigner(local, {
      host: '127.0.0.1',
      port,
      tlsDir: certs.server,
      log: (fields, message) => logged.push(`${message} ${JSON.stringify(fields)}`),
      countsEveryMs: 50,
    })

  beforeAll(async () => {
    certs = await peerCertificates()
    signerStore = await openStore({ url: 'memory://' })
    local = createLocalSigner({
      curve,
      seed: 'the signer process seed',
      store: signerStore,
      clock: systemClock,
      v1Aliases: false,
    })
    server = await serve()
    remote = await connectSigner({
      address: `127.0.0.1:${server.port}`,
      tlsDir: certs.client,
      timeoutMs: 1000,
    })
    test = await startTestMint('PGlite', { keys: { signer: remote, secret: new Uint8Array(32).fill(7) } })
  })
  afterAll(async () => {
    await test?.close()
    await remote?.close()
    await server?.close()
    await signerStore?.close()
  })

  it('makes its keysets in the signer and serves exactly the signer’s keys', async () => {
    const { publicKey, keysets } = await local.keysets()
    expect(keysets.map((k) => [k.unit, k.active, k.inputFeePpk])).toEqual([['sat', true, 100n]])
    const [keyset] = keysets
    expect(test.keysetId).toBe(keyset?.id)
    const served = test.mint.keys(test.keysetId).keysets[0]
    expect(Object.entries(served?.keys ?? {})).toEqual(
      [...(keyset?.keys ?? [])].map(([a, k]) => [String(a), k]),
    )
    expect(test.mint.publicKey).toBe(publicKey)
  })

  it('mints and swaps through it: every signature verifies (DLEQ) with the signer’s key', async () => {
    const proofs = await test.mintProofs(1000n)
    expect(total(proofs)).toBe(1000n)
    const outputs = outputsFor(curve, test.keysetId, 999n)
    const { signatures } = await test.mint.swap({ inputs: proofs, outputs: outputs.outputs })
    const keys = test.mint.keys(test.keysetId).keysets[0]?.keys ?? {}
    for (const [i, signature] of signatures.entries()) {
      const output = outputs.outputs[i]
      expect(
        verifyDleq(
          curve,
          { e: hexToBytes(signature.dleq?.e as string), s: hexToBytes(signature.dleq?.s as string) },
          hexToBytes(keys[String(signature.amount)] as string),
          hexToBytes(output?.B_ as string),
          hexToBytes(signature.C_),
        ),
      ).toBe(true)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
    // The signer's own log: how many outputs of the keyset it signed and for how much, no key.
    const counts = logged.filter((line) => line.startsWith('signed and verified')).at(-1)
    expect(counts).toContain(`"keysetId":"${test.keysetId}"`)
    expect(counts).toMatch(/"amount":"1999"/)
    expect(logged.join('\n')).not.toContain('the signer process seed')
  })

  it('refuses inputs the signer did not sign, with the NUT error', async () => {
    const proofs = await test.mintProofs(8n)
    // Right amount and keyset, a signature on another secret: only the signer can tell.
    const forged = proofs.map((p) => ({ ...p, secret: `${p.secret}0` }))
    await expect(
      test.mint.swap({ inputs: forged, outputs: outputsFor(curve, test.keysetId, 7n).outputs }),
    ).rejects.toMatchObject({ code: 10001 })
  })

  it('refuses a client whose certificate another CA issued', async () => {
    const stranger = await peerCertificates()
    // The stranger trusts our signer's CA, but its own certificate is not from it.
    const mixed = await mkdtemp(join(tmpdir(), 'stranger-'))
    await writeFile(join(mixed, 'ca.pem'), await readFile(join(certs.client, 'ca.pem')))
    await writeFile(join(mixed, 'client.pem'), await readFile(join(stranger.client, 'client.pem')))
    await writeFile(join(mixed, 'client.key'), await readFile(join(stranger.client, 'client.key')))
    await expect(
      connectSigner({ address: `127.0.0.1:${server.port}`, tlsDir: mixed, timeoutMs: 2000 }),
    ).rejects.toBeInstanceOf(UnavailableError)
  })

  it('while the signer is down a swap is refused as unavailable and spends nothing; it works again when the signer is back', async () => {
    const proofs = await test.mintProofs(64n)
    const port = server.port
    await server.close()
    const outputs = outputsFor(curve, test.keysetId, 63n).outputs
    await expect(test.mint.swap({ inputs: proofs, outputs })).rejects.toMatchObject({
      name: 'UnavailableError',
      dependency: 'signer',
    })
    const ys = await test.mint.checkState(
      proofs.map((p) => Buffer.from(hashSecretToCurve(curve, p.secret)).toString('hex')),
    )
    expect(ys.states.every((s) => s.state === 'UNSPENT')).toBe(true)
    server = await serve(port)
    await expect
      .poll(
        () =>
          test.mint.swap({ inputs: proofs, outputs }).then(
            () => true,
            () => false,
          ),
        {
          timeout: 10_000,
          interval: 200,
        },
      )
      .toBe(true)
  })
  it('a rotation goes through the signer, and its other clients hear of it', async () => {
    const other = await connectSigner({ address: `127.0.0.1:${server.port}`, tlsDir: certs.client })
    const heard: number[] = []
    const unwatch = other.watch?.(() => heard.push(Date.now()))
    await expect.poll(() => heard.length).toBe(1)
    const list = await test.mint.rotateKeyset({ unit: 'sat', inputFeePpk: 0n })
    const active = list.keysets.find((k) => k.active)
    expect(active?.id).not.toBe(test.keysetId)
    expect((await local.keysets()).keysets.find((k) => k.active)?.id).toBe(active?.id)
    await expect.poll(() => heard.length).toBe(2)
    unwatch?.()
    await other.close()
  })
})

describe('the service with CASHU_MINT_SIGNER', () => {
  it('refuses to start when its data folder still holds a seed, and makes none', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'signer-service-'))
    const certs = await peerCertificates()
    const env = {
      CASHU_MINT_DATA_DIR: dataDir,
      CASHU_MINT_SIGNER: '127.0.0.1:1',
      CASHU_MINT_SIGNER_TLS_DIR: certs.client,
    }
    const config = loadConfig(env)
    const logger = pino({ level: 'silent' })
    // No signer listens at port 1: the start stops, and leaves no seed behind.
    await expect(mintKeys(config, logger)).rejects.toThrow(/cannot use the signer at 127.0.0.1:1/)
    expect(await readdir(dataDir)).not.toContain('seed')
    await writeFile(join(dataDir, 'seed'), 'a seed left behind\n')
    await expect(mintKeys(config, logger)).rejects.toThrow(/holds a seed, but CASHU_MINT_SIGNER/)
  })

  it('cashu-mint init makes no seed, and refuses to take one over', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'signer-init-'))
    const env = { CASHU_MINT_SIGNER: '127.0.0.1:15060', CASHU_MINT_SIGNER_TLS_DIR: dataDir }
    const init = await runCashuMint(['init', '--data-dir', dataDir], env)
    expect(init.code, init.stderr).toBe(0)
    expect(init.stdout).toContain('with the signer at 127.0.0.1:15060')
    const files = await readdir(dataDir)
    expect(files).toContain('mint-made-secret')
    expect(files).not.toContain('seed')
    const seedFile = join(dataDir, 'old-seed')
    await writeFile(seedFile, 'an old seed\n')
    const taken = await runCashuMint(['init', '--data-dir', dataDir, '--seed-from', seedFile], env)
    expect(taken.code).toBe(2)
    expect(taken.stderr).toMatch(/--seed-from goes to the signer/)
    expect(await readdir(dataDir)).not.toContain('seed')
  })

  it('refuses v1 keyset names and a signer without its TLS folder', () => {
    expect(() => loadConfig({ CASHU_MINT_SIGNER: '127.0.0.1:15060' })).toThrow(/CASHU_MINT_SIGNER_TLS_DIR/)
    expect(() =>
      loadConfig({
        CASHU_MINT_SIGNER: '127.0.0.1:15060',
        CASHU_MINT_SIGNER_TLS_DIR: '/x',
        CASHU_MINT_V1_KEYSET_IDS: 'true',
      }),
    ).toThrow(/01 id only/)
  })
})
