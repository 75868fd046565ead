/**
 * End to end with a real wallet: @cashu/cashu-ts (4.x) against the running HTTP service, on PGlite
 * and on PostgreSQL, with input fees (100 ppk) and DLEQ proofs required on every signature.
 */

import { randomBytes } from 'node:crypto'
import { Amount, createHTLCHash, OutputData, signP2PKProofs, Wallet } from '@cashu/cashu-ts'
import { bytesToHex, hexToBytes } from '@cashu-mint/core/crypto'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresDatabase } from '../../../packages/storage/test/databases.ts'
import { externalInvoice, waitFor } from '../../../packages/storage/test/mint-fixture.ts'
import { startTestServer, type TestServer } from './test-server.ts'

describe.each(['PGlite', 'PostgreSQL'] as const)('cashu-ts wallet against the HTTP mint on %s', (kind) => {
  let server: TestServer
  let dropDatabase: () => Promise<void> = async () => undefined
  let wallet: Wallet

  beforeAll(async () => {
    let databaseUrl = 'memory://'
    if (kind === 'PostgreSQL') {
      const database = await createPostgresDatabase()
      databaseUrl = database.url
      dropDatabase = database.drop
    }
    server = await startTestServer({
      DATABASE_URL: databaseUrl,
      CASHU_MINT_INPUT_FEE_PPK: '100',
      CASHU_MINT_FAKE_DELAY_MS: '50',
    })
    wallet = new Wallet(server.url, { unit: 'sat', requireSigDleq: true })
    await wallet.loadMint()
  })
  afterAll(async () => {
    await server?.stop()
    await dropDatabase()
  })

  async function topUp(amount: number) {
    const quote = await wallet.createMintQuoteBolt11(amount)
    expect(quote.request.startsWith('lnbc')).toBe(true)
    await waitFor(async () => (await wallet.checkMintQuoteBolt11(quote.quote)).state === 'PAID')
    return wallet.mintProofsBolt11(amount, quote.quote)
  }

  const total = (proofs: { amount: { toBigInt(): bigint } }[]) =>
    proofs.reduce((a, p) => a + p.amount.toBigInt(), 0n)

  it('mints, sends with fees, and receives into another wallet', async () => {
    const proofs = await topUp(200)
    expect(total(proofs)).toBe(200n)
    const { send, keep } = await wallet.send(50, proofs, { includeFees: true })
    expect(total(send)).toBeGreaterThanOrEqual(50n)
    const receiver = new Wallet(server.url, { unit: 'sat', requireSigDleq: true })
    await receiver.loadMint()
    const received = await receiver.receive(send)
    expect(total(received)).toBe(50n)
    const states = await wallet.checkProofsStates(send)
    expect(states.every((s) => s.state === 'SPENT')).toBe(true)
    const kept = await wallet.checkProofsStates(keep)
    expect(kept.every((s) => s.state === 'UNSPENT')).toBe(true)
  })

  it('melts to an external invoice and gets change back', async () => {
    const proofs = await topUp(300)
    const quote = await wallet.createMeltQuoteBolt11(externalInvoice(100n))
    expect(quote.amount.toBigInt()).toBe(100n)
    expect(quote.fee_reserve.toBigInt()).toBeGreaterThan(0n)
    const needed = quote.amount.toBigInt() + quote.fee_reserve.toBigInt()
    const { send, keep } = await wallet.send(Number(needed), proofs, { includeFees: true })
    const result = await wallet.meltProofsBolt11(quote, send)
    expect(result.quote.state).toBe('PAID')
    const change = total(result.change)
    // 100 sat paid, 1 sat Lightning fee (FakeWallet), input fees per spent proof.
    expect(total(send) - change).toBeGreaterThanOrEqual(101n)
    expect(total(send) - change).toBeLessThanOrEqual(101n + BigInt(Math.ceil((send.length * 100) / 1000)))
    // Selecting the exact amount cost one swap of all 300 sat, whose input fee the mint kept.
    expect(total(keep) + total(send)).toBe(300n - BigInt(Math.ceil((proofs.length * 100) / 1000)))
  })

  it('waits for payment over the NUT-17 websocket, and sees its proofs get spent', async () => {
    const quote = await wallet.createMintQuoteBolt11(32)
    const paid = await wallet.on.onceMintPaid(quote.quote, { timeoutMs: 10_000 })
    expect(paid.state).toBe('PAID')
    const proofs = await wallet.mintProofsBolt11(32, quote.quote)
    const seen: string[] = []
    const cancel = await wallet.on.proofStateUpdates(
      proofs,
      (update) => seen.push(update.state),
      (error) => seen.push(`error ${error.message}`),
    )
    await waitFor(async () => seen.length >= proofs.length)
    await wallet.send(16, proofs, { includeFees: true })
    await waitFor(async () => seen.filter((s) => s === 'SPENT').length >= proofs.length)
    expect(seen.slice(0, proofs.length).every((s) => s === 'UNSPENT')).toBe(true)
    cancel()
  })

  it('locks ecash to a key (P2PK, SIG_INPUTS and SIG_ALL) that only its owner can receive', async () => {
    for (const sigFlag of ['SIG_INPUTS', 'SIG_ALL'] as const) {
      const privkey = randomBytes(32).toString('hex')
      const pubkey = bytesToHex(secp256k1.getPublicKey(hexToBytes(privkey), true))
      const proofs = await topUp(40)
      const { send } = await wallet.ops.send(20, proofs).asP2PK({ pubkey, sigFlag }).includeFees(true).run()
      expect(send.every((p) => p.secret.includes('P2PK'))).toBe(true)
      const owner = new Wallet(server.url, { unit: 'sat', requireSigDleq: true })
      await owner.loadMint()
      await expect(owner.receive(send)).rejects.toThrow()
      const received = await owner.receive(send, { privkey })
      expect(total(received)).toBeGreaterThan(0n)
      expect((await wallet.checkProofsStates(send)).every((s) => s.state === 'SPENT')).toBe(true)
    }
  })

  it('locks ecash to a hash and a key (HTLC), spendable with the preimage and the key’s signature', async () => {
    const privkey = randomBytes(32).toString('hex')
    const pubkey = bytesToHex(secp256k1.getPublicKey(hexToBytes(privkey), true))
    const { hash, preimage } = createHTLCHash()
    const { send } = await wallet.ops
      .send(8, await topUp(16))
      .asP2PK({ pubkey, hashlock: hash })
      .includeFees(true)
      .run()
    expect(send.every((p) => p.secret.startsWith('["HTLC"'))).toBe(true)
    const receiver = new Wallet(server.url, { unit: 'sat', requireSigDleq: true })
    await receiver.loadMint()
    await expect(receiver.receive(signP2PKProofs(send, privkey))).rejects.toMatchObject({ code: 10001 })
    const unlocked = signP2PKProofs(
      send.map((p) => ({ ...p, witness: { preimage } })),
      privkey,
    )
    expect(total(await receiver.receive(unlocked))).toBeGreaterThan(0n)
  })

  it('mints a quote locked to a key (NUT-20) only with that key’s signature', async () => {
    const privkey = randomBytes(32).toString('hex')
    const pubkey = bytesToHex(secp256k1.getPublicKey(hexToBytes(privkey), true))
    const quote = await wallet.createLockedMintQuote(8, pubkey)
    await waitFor(async () => (await wallet.checkMintQuoteBolt11(quote.quote)).state === 'PAID')
    const proofs = await wallet.ops.mintBolt11(8, quote).privkey(privkey).run()
    expect(total(proofs)).toBe(8n)
  })

  it('restores deterministic ecash from the seed alone (NUT-13 + NUT-09)', async () => {
    const bip39seed = randomBytes(64)
    const original = new Wallet(server.url, { unit: 'sat', bip39seed })
    await original.loadMint()
    const quote = await original.createMintQuoteBolt11(21)
    await waitFor(async () => (await original.checkMintQuoteBolt11(quote.quote)).state === 'PAID')
    const minted = await original.ops.mintBolt11(21, quote).asDeterministic().run()
    const fresh = new Wallet(server.url, { unit: 'sat', bip39seed })
    await fresh.loadMint()
    const { proofs } = await fresh.batchRestore()
    expect(proofs.map((p) => p.secret).sort()).toEqual(minted.map((p) => p.secret).sort())
    expect(proofs.map((p) => p.C).sort()).toEqual(minted.map((p) => p.C).sort())
  })

  it('mints two paid quotes in one batch (NUT-29)', async () => {
    const quotes = [await wallet.createMintQuoteBolt11(3), await wallet.createMintQuoteBolt11(5)]
    await waitFor(async () =>
      (await wallet.checkMintQuoteBatchBolt11(quotes)).every((q) => q.state === 'PAID'),
    )
    const keyset = wallet.keyChain.getCheapestKeyset()
    const outputs = OutputData.createRandomData(8, keyset)
    const { signatures } = await wallet.mint.mintBatchBolt11({
      quotes: quotes.map((q) => q.quote),
      quote_amounts: [Amount.from(3), Amount.from(5)],
      outputs: outputs.map((o) => o.blindedMessage),
    })
    const proofs = outputs.map((o, i) => o.toProof(signatures[i] as (typeof signatures)[number], keyset))
    expect(total(proofs)).toBe(8n)
    expect((await wallet.checkProofsStates(proofs)).every((s) => s.state === 'UNSPENT')).toBe(true)
  })

  it('refuses a double spend with code 11001', async () => {
    const proofs = await topUp(16)
    await wallet.send(8, proofs, { includeFees: true })
    await expect(wallet.send(8, proofs, { includeFees: true })).rejects.toMatchObject({ code: 11001 })
  })
})
