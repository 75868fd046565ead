import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as cashuTs from '@cashu/cashu-ts'
import { createInvoice, getInvoice, getInvoices, pay } from 'lightning'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresDatabase } from '../../../../packages/storage/test/databases.ts'
import { freePort } from '../free-port.ts'
import { type PeersOnLnd, startPeersOnLnd } from '../peers/peers-on-lnd.ts'
import { cashuTsWallets } from '../wallets/cashu-ts-wallet.ts'
import { nutshellWallet } from '../wallets/nutshell-wallet.ts'
import type { WalletDriver, WalletFactory } from '../wallets/wallet-driver.ts'
import { meltAcrossACrash } from './melt-across-a-crash.ts'
import { type MintProcess, startMintProcess } from './mint-process.ts'
import { type RegtestNetwork, startRegtestNetwork, until } from './regtest-network.ts'

/** 1 usd cent is worth 10 sat here. */
const MSAT_PER_CENT = 10_000n
const UNITS = [
  { unit: 'sat', backend: 'processor', msatPerUnit: 1000n },
  { unit: 'usd', backend: 'lnbits', msatPerUnit: MSAT_PER_CENT },
] as const

let network: RegtestNetwork
let peers: PeersOnLnd
let database: { url: string; drop: () => Promise<void> }
let env: Record<string, string>
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
  peers = await startPeersOnLnd(network.a)
  const { processor, lnbits, certs, lnbitsWallet: keys } = peers
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
  await peers?.stop()
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
    expect(paid.sat).toEqual([`cdk-processor:${peers.processor.address}`])
    expect(paid.usd).toEqual([`lnbits:${new URL(peers.lnbits.url).host}:${peers.lnbitsWallet.id}`])
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
        await meltAcrossACrash({
          network,
          wallet,
          proofs,
          amount: 100,
          amountMsat: 100n * msatPerUnit,
          outcome,
          crash: async () => {
            await mint.kill('SIGKILL')
            mint = await startMintProcess(env)
            return mint.url
          },
        })
      })
    }
  }
})
