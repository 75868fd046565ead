/**
 * The LND backend, unchanged, against the gRPC double (TLS, macaroons, LND's protos) and a real
 * engine on PGlite: connecting, settlement streams that break and resume, and payments whose
 * streams break before LND has decided. The regtest suite repeats the main paths on real LND.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeBolt11 } from '@cashu-mint/core/lightning'
import type { MintQuoteRecord } from '@cashu-mint/core/mint'
import { ErrorCode, type Proof } from '@cashu-mint/core/protocol'
import { blindOutputs } from '@cashu-mint/core/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  curve,
  errorCode,
  externalInvoice,
  startTestMint,
  testSettings,
  waitFor,
  ysOf,
} from '../../storage/test/mint-fixture.ts'
import { connectLnd, type LndBackend, REQUIRED_PERMISSIONS } from '../src/lnd-backend.ts'
import { readLndCredentials } from '../src/lnd-credentials.ts'
import { LndDouble } from './lnd-double.ts'

let double: LndDouble

beforeEach(async () => {
  double = await LndDouble.start()
})
afterEach(() => double.stop())

const connect = (macaroon = double.macaroon(REQUIRED_PERMISSIONS), cert = double.certPem) =>
  connectLnd({ socket: double.socket, cert, macaroon, connectTimeoutMs: 3000 })

describe('connecting', () => {
  it('connects with exactly the five permissions and learns the node and its network', async () => {
    const lnd = await connect()
    expect(lnd.name).toBe(`lnd:${double.publicKey}`)
    expect(lnd.network).toBe('bitcoin')
  })

  it('names every permission the macaroon lacks', async () => {
    const weak = double.macaroon(
      REQUIRED_PERMISSIONS.filter((p) => p !== 'invoices:read' && p !== 'offchain:write'),
    )
    await expect(connect(weak)).rejects.toThrow(
      'the LND macaroon lacks invoices:read, offchain:write; bake one with: lncli bakemacaroon info:read invoices:read invoices:write offchain:read offchain:write',
    )
  })

  it('refuses a macaroon another node signed', async () => {
    const foreign = double.macaroon(REQUIRED_PERMISSIONS, new Uint8Array(32).fill(7))
    await expect(connect(foreign)).rejects.toThrow(/refused the macaroon .*verification failed/)
  })

  it('says so when the wallet is locked', async () => {
    double.locked = true
    await expect(connect()).rejects.toThrow(`LND at ${double.socket} is locked: unlock its wallet`)
  })

  it('says where it looked when LND is unreachable or its certificate is not the one given', async () => {
    const other = await LndDouble.start()
    await expect(connect(undefined, other.certPem)).rejects.toThrow(`cannot reach LND at ${double.socket}`)
    other.stop()
    double.stop()
    await expect(connect()).rejects.toThrow(`cannot reach LND at ${double.socket}`)
  })

  it('reads credentials inline (PEM, base64, hex) or from files, and never echoes them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lnd-creds-'))
    const macaroon = double.macaroon(REQUIRED_PERMISSIONS)
    await writeFile(join(dir, 'tls.cert'), double.certPem)
    await writeFile(join(dir, 'mint.macaroon'), Buffer.from(macaroon, 'hex'))
    const certBase64 = Buffer.from(double.certPem).toString('base64')
    const fromFiles = readLndCredentials({
      socket: double.socket,
      certPath: join(dir, 'tls.cert'),
      macaroonPath: join(dir, 'mint.macaroon'),
    })
    expect(fromFiles).toEqual({ socket: double.socket, cert: certBase64, macaroon })
    const inline = readLndCredentials({
      socket: double.socket,
      cert: double.certPem,
      macaroon: Buffer.from(macaroon, 'hex').toString('base64'),
    })
    expect(inline).toEqual(fromFiles)
    expect(() =>
      readLndCredentials({ socket: double.socket, certPath: join(dir, 'missing'), macaroon }),
    ).toThrow(`cannot read the LND TLS certificate at ${join(dir, 'missing')} (ENOENT)`)
    expect(() => readLndCredentials({ socket: 'localhost', cert: certBase64, macaroon })).toThrow(
      'the LND address must be host:port',
    )
    let message = ''
    try {
      readLndCredentials({ socket: double.socket, cert: certBase64 })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toBe('LND needs a macaroon: set the macaroon (hex or base64) or its path')
  })
})

describe('through the engine', () => {
  let lnd: LndBackend
  let t: Awaited<ReturnType<typeof startTestMint<LndBackend>>>
  /** How far the engine's clock runs ahead of the real one: tests move time instead of sleeping. */
  let aheadMs = 0

  async function start(store?: typeof t.store) {
    t = await startTestMint('PGlite', {
      lightning: lnd,
      settings: { ...testSettings, meltWaitMs: 300, failedPaymentGraceSeconds: 30 },
      clock: { nowMs: () => Date.now() + aheadMs },
      ...(store ? { store } : {}),
    })
  }

  beforeEach(async () => {
    aheadMs = 0
    lnd = await connect()
    await start()
    double.autoSettle = true
  })
  afterEach(async () => {
    await t.close()
  })

  const stored = async (id: string) => (await t.store.getMintQuote(id)) as MintQuoteRecord
  const statesOf = async (proofs: Proof[]) =>
    (await t.mint.checkState(ysOf(proofs))).states.map((s) => s.state)

  /** Mints through an invoice the double settles, as a payer would. */
  async function mintVia(amount: bigint) {
    double.autoSettle = false
    const quote = await t.mint.createMintQuote({ amount, unit: 'sat' })
    double.settleInvoice((await stored(quote.quote)).paymentHash)
    await waitFor(async () => (await stored(quote.quote)).state === 'PAID')
    return quote
  }

  it('creates invoices with the amount and description, and credits a settlement from the stream', async () => {
    double.autoSettle = false
    const quote = await t.mint.createMintQuote({ amount: 1337n, unit: 'sat', description: 'vpn, 30 days' })
    expect(quote.request.startsWith('lnbc13370n1')).toBe(true)
    expect(quote.state).toBe('UNPAID')
    double.settleInvoice((await stored(quote.quote)).paymentHash)
    // Read from the store: no status lookup, only the stream can have credited it.
    await waitFor(async () => (await stored(quote.quote)).state === 'PAID')
    expect(await t.store.getSettlementPosition(lnd.name)).toBe(1n)
  })

  it('resubscribes after the invoice stream breaks and catches up on what settled meanwhile', async () => {
    await mintVia(10n)
    const quote = await t.mint.createMintQuote({ amount: 20n, unit: 'sat' })
    double.dropInvoiceStreams()
    double.settleInvoice((await stored(quote.quote)).paymentHash)
    await waitFor(async () => (await stored(quote.quote)).state === 'PAID')
    expect(double.invoiceSubscriptions).toEqual([0, 1])
    expect(await t.store.getSettlementPosition(lnd.name)).toBe(2n)
  })

  it('credits an invoice settled while the mint was down, from the persisted settle index', async () => {
    await mintVia(10n)
    const quote = await t.mint.createMintQuote({ amount: 30n, unit: 'sat' })
    const store = t.store
    await t.mint.stop()
    double.settleInvoice((await store.getMintQuote(quote.quote))?.paymentHash as string)
    // Lookups fail, so the check of open quotes at start cannot credit it: only the replay can.
    double.failLookups = true
    await start(store)
    await waitFor(async () => (await stored(quote.quote)).state === 'PAID')
    expect(double.invoiceSubscriptions).toEqual([0, 1])
    await t.mint.stop()
    await store.close()
  })

  it('pays with a hard fee limit and returns the unused reserve as change', async () => {
    const proofs = await t.mintProofs(1024n)
    const quote = await t.mint.createMeltQuote({ request: externalInvoice(1000n), unit: 'sat' })
    expect(quote.fee_reserve).toBe(10n)
    double.paymentScript = { kind: 'succeed', feeMsat: 3000n }
    const blanks = blindOutputs(curve, t.keysetId, [1n, 1n, 1n, 1n, 1n], undefined)
    const result = await t.mint.melt({ quote: quote.quote, inputs: proofs, outputs: blanks.outputs })
    expect(result.state).toBe('PAID')
    expect(result.payment_preimage).toMatch(/^[0-9a-f]{64}$/)
    const inputFee = BigInt(Math.ceil((proofs.length * 100) / 1000))
    expect((result.change ?? []).reduce((a, s) => a + s.amount, 0n)).toBe(1024n - inputFee - 1000n - 3n)
  })

  it('refuses an invoice that has expired at the quote, before anything is paid', async () => {
    const longAgo = BigInt(Math.floor(Date.now() / 1000) - 86_400)
    const melt = t.mint.createMeltQuote({ request: externalInvoice(100n, longAgo), unit: 'sat' })
    await expect(melt).rejects.toMatchObject({
      code: ErrorCode.MALFORMED_REQUEST,
      detail: 'request: invoice has expired',
    })
  })

  it("answers a melt of the mint's own invoice with that invoice's preimage from LND", async () => {
    const proofs = await t.mintProofs(64n)
    double.autoSettle = false
    const own = await t.mint.createMintQuote({ amount: 40n, unit: 'sat' })
    const quote = await t.mint.createMeltQuote({ request: own.request, unit: 'sat' })
    const result = await t.mint.melt({ quote: quote.quote, inputs: proofs })
    expect(result.state).toBe('PAID')
    const hash = decodeBolt11(own.request).paymentHash
    const preimage = Buffer.from(result.payment_preimage as string, 'hex')
    expect(createHash('sha256').update(preimage).digest('hex')).toBe(hash)
  })

  it('fails the melt and releases the proofs when LND says the payment failed', async () => {
    const proofs = await t.mintProofs(128n)
    const quote = await t.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
    double.paymentScript = { kind: 'fail', reason: 'FAILURE_REASON_NO_ROUTE' }
    expect(await errorCode(t.mint.melt({ quote: quote.quote, inputs: proofs }))).toBe(
      ErrorCode.LIGHTNING_PAYMENT_FAILED,
    )
    expect(await statesOf(proofs)).toEqual(proofs.map(() => 'UNSPENT'))
    expect((await t.mint.getMeltQuote(quote.quote)).state).toBe('UNPAID')
  })

  it('never pays a fee above the reserve', async () => {
    const proofs = await t.mintProofs(128n)
    const quote = await t.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
    double.paymentScript = { kind: 'succeed', feeMsat: 50_000n }
    expect(await errorCode(t.mint.melt({ quote: quote.quote, inputs: proofs }))).toBe(
      ErrorCode.LIGHTNING_PAYMENT_FAILED,
    )
    expect(await statesOf(proofs)).toEqual(proofs.map(() => 'UNSPENT'))
  })

  it('pays a NUT-15 part over a route carrying the MPP record of the whole invoice', async () => {
    const proofs = await t.mintProofs(512n)
    const invoice = externalInvoice(1000n)
    const quote = await t.mint.createMeltQuote({
      request: invoice,
      unit: 'sat',
      options: { mpp: { amount: 400_000n } },
    })
    expect(quote.amount).toBe(400n)
    const result = await t.mint.melt({ quote: quote.quote, inputs: proofs })
    expect(result.state).toBe('PAID')
    const { paymentSecret, paymentHash } = decodeBolt11(invoice)
    expect(double.routedParts).toEqual([
      { paymentHash, amountMsat: 400_000n, totalMsat: 1_000_000n, paymentAddr: paymentSecret },
    ])
  })

  it('fails a NUT-15 part at once when LND finds no route: nothing was sent', async () => {
    const proofs = await t.mintProofs(512n)
    const quote = await t.mint.createMeltQuote({
      request: externalInvoice(1000n),
      unit: 'sat',
      options: { mpp: { amount: 400_000n } },
    })
    double.noRoute = true
    expect(await errorCode(t.mint.melt({ quote: quote.quote, inputs: proofs }))).toBe(
      ErrorCode.LIGHTNING_PAYMENT_FAILED,
    )
    expect(await statesOf(proofs)).toEqual(proofs.map(() => 'UNSPENT'))
    expect(double.routedParts).toEqual([])
  })

  for (const late of ['succeeds', 'fails'] as const) {
    it(`keeps the proofs reserved when the stream drops mid-payment, then follows it until LND ${late}`, async () => {
      const proofs = await t.mintProofs(128n)
      const quote = await t.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
      const hash = (await t.store.getMeltQuote(quote.quote))?.paymentHash as string
      double.paymentScript = { kind: 'drop-in-flight' }
      expect((await t.mint.melt({ quote: quote.quote, inputs: proofs })).state).toBe('PENDING')
      expect(double.paymentState(hash)).toBe('IN_FLIGHT')
      expect((await t.mint.recover()).stillPending).toBe(1)
      expect(await statesOf(proofs)).toEqual(proofs.map(() => 'PENDING'))
      double.resolvePayment(
        hash,
        late === 'succeeds'
          ? { kind: 'succeed', feeMsat: 1000n }
          : { kind: 'fail', reason: 'FAILURE_REASON_INSUFFICIENT_BALANCE' },
      )
      const final = late === 'succeeds' ? 'PAID' : 'UNPAID'
      await waitFor(async () => (await t.mint.getMeltQuote(quote.quote)).state === final)
      expect(await statesOf(proofs)).toEqual(proofs.map(() => (late === 'succeeds' ? 'SPENT' : 'UNSPENT')))
    })
  }

  it('treats a stream that broke before LND registered the payment as unknown until the grace period ends', async () => {
    const proofs = await t.mintProofs(128n)
    const quote = await t.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
    double.paymentScript = { kind: 'refuse' }
    expect((await t.mint.melt({ quote: quote.quote, inputs: proofs })).state).toBe('PENDING')
    expect(await statesOf(proofs)).toEqual(proofs.map(() => 'PENDING'))
    expect((await t.mint.recover()).stillPending).toBe(1)
    // Past the 30 s grace on the engine's clock: a whole-second grace measured in real time left
    // a window of a few milliseconds on a slow machine.
    aheadMs = 31_000
    await t.mint.recover()
    expect((await t.mint.getMeltQuote(quote.quote)).state).toBe('UNPAID')
    expect(await statesOf(proofs)).toEqual(proofs.map(() => 'UNSPENT'))
  })
})
