/**
 * One mint on two payment backends over real Lightning (btcd regtest; LND A behind both, LND B as
 * the world): sat through CDK's payment processor (mutual TLS), usd through an LNbits wallet. Two
 * wallets no one here wrote, cashu-ts 4.8 and Nutshell's CLI, top up, send, receive, melt to the
 * world and to the mint's own invoice, and restore, in each unit; then the mint is killed (-9)
 * while each backend pays a melt, and after the restart the backend alone says what became of it.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as cashuTs from '@cashu/cashu-ts'
import {
  cancelHodlInvoice,
  createHodlInvoice,
  createInvoice,
  getInvoice,
  getInvoices,
  pay,
  settleHodlInvoice,
} from 'lightning'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresDatabase } from '../../../../packages/storage/test/databases.ts'
import { freePort } from '../free-port.ts'
import { processorCertificates, type RunningProcessor, startCdkProcessor } from '../peers/cdk-processor.ts'
import { type RunningLnbits, startLnbits } from '../peers/lnbits.ts'
import { cashuTsWallets } from '../wallets/cashu-ts-wallet.ts'
import { nutshellWallet } from '../wallets/nutshell-wallet.ts'
import type { WalletDriver, WalletFactory } from '../wallets/wallet-driver.ts'
import { type MintProcess, startMintProcess } from './mint-process.ts'
import { type RegtestNetwork, startRegtestNetwork, until } from './regtest-network.ts'

/** 1 usd cent is worth 10 sat here. */
const MSAT_PER_CENT = 10_000n
const UNITS = [
  { unit: 'sat', backend: 'processor', msatPerUnit: 1000n },
  { unit: 'usd', backend: 'lnbits', msatPerUnit: MSAT_PER_CENT },
] as const

let network: RegtestNetwork
let processor: RunningProcessor
let lnbits: RunningLnbits
let database: { url: string; drop: () => Promise<void> }
let env: Record<string, string>
let lnbitsWallet: string
let mint: MintProcess

/**
 * Node B pays the invoices node A issues (both backends' invoices are A's) while `paying` runs: the
 * mint quotes a wallet asks for, and nothing else (the test pays its own invoices itself).
 */
const payer = {
  active: 0,
  paid: new Set<string>(),
  async paying<T>(work: () => Promise<T>): Promise<T> {
    this.active++
    const stop = new AbortController()
    const loop = (async () => {
      while (!stop.signal.aborted) {
        const { invoices } = await getInvoices({ lnd: network.a.lnd, limit: 20 })
        for (const invoice of invoices) {
          if (invoice.is_confirmed || invoice.is_canceled || this.paid.has(invoice.id)) continue
          this.paid.add(invoice.id)
          await pay({ lnd: network.b.lnd, request: invoice.request ?? '' }).catch(() => undefined)
        }
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    })()
    try {
      return await work()
    } finally {
      stop.abort()
      await loop
      this.active--
    }
  },
  /** Marks what node A issued so far as not the payer's to pay. */
  async ignoreExisting() {
    const { invoices } = await getInvoices({ lnd: network.a.lnd, limit: 100 })
    for (const invoice of invoices) this.paid.add(invoice.id)
  },
}

/** A wallet whose top-ups node B pays. */
const paidBy =
  (factory: WalletFactory): WalletFactory =>
  async (mintUrl, unit, name) => {
    const wrap = (wallet: WalletDriver): WalletDriver => ({
      ...wallet,
      mint: (amount) => payer.paying(() => wallet.mint(amount)),
      restore: async () => wrap(await wallet.restore()),
    })
    return wrap(await factory(mintUrl, unit, name))
  }

/**
 * The backends the mint recorded on its quotes, by unit; and on the melts it settled inside
 * itself, which no backend paid.
 */
async function backendsOfQuotes(): Promise<{ paid: Record<string, string[]>; internal: (string | null)[] }> {
  const sql = postgres(database.url, { max: 1, onnotice: () => undefined })
  try {
    const rows = await sql<{ unit: string; backend: string }[]>`
      select unit, backend from mint_quotes
      union select unit, backend from melt_quotes where internal_mint_quote_id is null`
    const paid: Record<string, string[]> = {}
    for (const row of rows) paid[row.unit] = [...new Set([...(paid[row.unit] ?? []), row.backend])]
    const internal = await sql<{ backend: string | null }[]>`
      select backend from melt_quotes where internal_mint_quote_id is not null`
    return { paid, internal: internal.map((row) => row.backend) }
  } finally {
    await sql.end()
  }
}

beforeAll(async () => {
  network = await startRegtestNetwork()
  database = await createPostgresDatabase()
  const certs = await processorCertificates()
  const lnd = {
    address: network.a.socket,
    certPath: network.a.certPath,
    macaroonPath: network.a.adminMacaroonPath,
  }
  ;[processor, lnbits] = await Promise.all([
    startCdkProcessor({ backend: { kind: 'LND', ...lnd }, tlsDir: certs.server }),
    startLnbits({
      kind: 'LndRestWallet',
      endpoint: network.a.rest,
      certPath: network.a.certPath,
      macaroonPath: network.a.adminMacaroonPath,
    }),
  ])
  const keys = await lnbits.newWallet('mint')
  lnbitsWallet = keys.id
  // LNbits pays out of what its wallet holds: node B funds it.
  const funding = await fetch(`${lnbits.url}/api/v1/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': keys.invoiceKey },
    body: JSON.stringify({ out: false, amount: 200_000, memo: 'float' }),
  })
  const { bolt11 } = (await funding.json()) as { bolt11: string }
  await pay({ lnd: network.b.lnd, request: bolt11 })
  await payer.ignoreExisting()
  env = {
    DATABASE_URL: database.url,
    CASHU_MINT_DATA_DIR: await mkdtemp(join(tmpdir(), 'mint-two-backends-')),
    CASHU_MINT_PORT: String(await freePort()),
    CASHU_MINT_ADMIN_PORT: '0',
    CASHU_MINT_UNITS: JSON.stringify([
      { unit: 'sat' },
      { unit: 'usd', rate: { msat_per_unit: MSAT_PER_CENT.toString() } },
    ]),
    CASHU_MINT_BACKENDS: JSON.stringify([
      {
        kind: 'cdk-processor',
        name: 'processor',
        units: ['sat'],
        address: processor.address,
        tls_dir: certs.client,
        network: 'regtest',
      },
      {
        kind: 'lnbits',
        name: 'lnbits',
        units: ['usd'],
        url: lnbits.url,
        admin_key: keys.adminKey,
        invoice_key: keys.invoiceKey,
        network: 'regtest',
      },
    ]),
    CASHU_MINT_FAILED_PAYMENT_GRACE_SECONDS: '1',
    CASHU_MINT_MELT_WAIT_SECONDS: '5',
  }
  mint = await startMintProcess(env)
}, 600_000)

afterAll(async () => {
  await mint?.kill('SIGTERM')
  await processor?.kill()
  await lnbits?.kill()
  await network?.stop()
  await database?.drop()
})

const WALLETS: [string, WalletFactory][] = [
  ['cashu-ts 4.8', cashuTsWallets<cashuTs.Proof, cashuTs.MeltQuoteBolt11Response>(cashuTs)],
  ['Nutshell 0.21', nutshellWallet],
]

for (const [walletName, factory] of WALLETS) {
  for (const { unit, backend, msatPerUnit } of UNITS) {
    describe.sequential(`${walletName}, ${unit} through ${backend}`, () => {
      let alice: WalletDriver
      let bob: WalletDriver
      const delta = async (work: () => Promise<unknown>) => {
        const before = await alice.balance()
        await work()
        return before - (await alice.balance())
      }

      beforeAll(async () => {
        alice = await paidBy(factory)(mint.url, unit, `alice-${unit}`)
        bob = await paidBy(factory)(mint.url, unit, `bob-${unit}`)
      })
      afterAll(async () => {
        await Promise.all([alice?.close?.(), bob?.close?.()])
      })

      it('tops up over Lightning, node B paying the invoice', async () => {
        await alice.mint(300)
        expect(await alice.balance()).toBe(300)
      })

      it('sends and receives into a second wallet', async () => {
        await bob.receive(await alice.send(40))
        expect(await bob.balance()).toBe(40)
        expect(await alice.balance()).toBe(260)
      })

      it('melts to node B’s invoice; the unused reserve comes back', async () => {
        const amountMsat = 50n * msatPerUnit
        const invoice = await createInvoice({ lnd: network.b.lnd, mtokens: amountMsat.toString() })
        const spent = await delta(() => alice.pay(invoice.request))
        // Over the direct channel A-B routing costs nothing: what stays spent is the amount (and
        // at most a unit of reserve a wallet may not have asked back as change).
        expect(spent).toBeGreaterThanOrEqual(50)
        expect(spent).toBeLessThanOrEqual(51)
        expect((await getInvoice({ lnd: network.b.lnd, id: invoice.id })).is_confirmed).toBe(true)
      })

      it('melts to the mint’s own invoice, settled inside the mint', async () => {
        const response = await fetch(`${mint.url}/v1/mint/quote/bolt11`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ amount: 30, unit }),
        })
        const quote = (await response.json()) as { quote: string; request: string }
        const spent = await delta(() => alice.pay(quote.request))
        expect(spent).toBe(30)
        const paid = (await (await fetch(`${mint.url}/v1/mint/quote/bolt11/${quote.quote}`)).json()) as {
          state: string
        }
        expect(paid.state).toBe('PAID')
      })

      it('restores from the seed alone, to the same balance', async () => {
        const restored = await alice.restore()
        expect(await restored.balance()).toBe(await alice.balance())
        await restored.close?.()
      })
    })
  }
}

describe('the mint recorded which backend serves each quote', () => {
  it('sat quotes on the processor, usd quotes on LNbits, none on a melt settled inside the mint', async () => {
    const { paid, internal } = await backendsOfQuotes()
    expect(paid.sat).toEqual([`cdk-processor:${processor.address}`])
    expect(paid.usd).toEqual([`lnbits:${new URL(lnbits.url).host}:${lnbitsWallet}`])
    // One per wallet and unit.
    expect(internal).toEqual([null, null, null, null])
  })
})

describe('kill -9 while a backend pays a melt', () => {
  for (const { unit, backend, msatPerUnit } of UNITS) {
    for (const outcome of ['settles', 'cancels'] as const) {
      it(`${backend} (${unit}): after the restart the backend says the payment ${outcome === 'settles' ? 'succeeded' : 'failed'}, and only then does the mint decide`, async () => {
        const wallet = new cashuTs.Wallet(mint.url, { unit, requireSigDleq: true })
        await wallet.loadMint()
        const proofs = await payer.paying(async () => {
          const quote = await wallet.createMintQuoteBolt11(200)
          await until('the top-up to be paid', async () => {
            return (await wallet.checkMintQuoteBolt11(quote.quote)).state === 'PAID'
          })
          return wallet.mintProofsBolt11(200, quote.quote)
        })
        const secret = randomBytes(32)
        const id = createHash('sha256').update(secret).digest('hex')
        const held = await createHodlInvoice({
          lnd: network.b.lnd,
          id,
          mtokens: (100n * msatPerUnit).toString(),
        })
        const quote = await wallet.createMeltQuoteBolt11(held.request)
        const { send } = await wallet.send(100 + Number(quote.fee_reserve.toBigInt()), proofs, {
          includeFees: true,
        })
        const melting = wallet.meltProofsBolt11(quote, send).catch((error: Error) => error)
        await until('node B to hold the payment', async () => {
          return (await getInvoice({ lnd: network.b.lnd, id })).is_held
        })
        await mint.kill('SIGKILL')
        mint = await startMintProcess(env)
        // cashu-ts retries a melt whose connection broke until a mint answers or it gives up.
        expect(await melting).toBeInstanceOf(Error)
        const restarted = new cashuTs.Wallet(mint.url, { unit, requireSigDleq: true })
        await restarted.loadMint()
        // The payment is in flight: nothing is released while the backend cannot say how it ended.
        expect((await restarted.checkMeltQuoteBolt11(quote.quote)).state).toBe('PENDING')
        expect((await restarted.checkProofsStates(send)).every((s) => s.state === 'PENDING')).toBe(true)
        if (outcome === 'settles') {
          await settleHodlInvoice({ lnd: network.b.lnd, secret: secret.toString('hex') })
          const paid = await until('the melt to be paid', async () => {
            const state = await restarted.checkMeltQuoteBolt11(quote.quote)
            return state.state === 'PAID' ? state : undefined
          })
          expect(paid.payment_preimage).toBe(secret.toString('hex'))
          expect((await restarted.checkProofsStates(send)).every((s) => s.state === 'SPENT')).toBe(true)
        } else {
          await cancelHodlInvoice({ lnd: network.b.lnd, id })
          await until('the melt to be released', async () => {
            return (await restarted.checkMeltQuoteBolt11(quote.quote)).state === 'UNPAID'
          })
          expect((await restarted.checkProofsStates(send)).every((s) => s.state === 'UNSPENT')).toBe(true)
          const back = await restarted.receive(
            cashuTs.getEncodedToken({ mint: mint.url, unit, proofs: send }),
          )
          expect(back.reduce((sum, p) => sum + p.amount.toBigInt(), 0n)).toBeGreaterThan(0n)
        }
      })
    }
  }
})
