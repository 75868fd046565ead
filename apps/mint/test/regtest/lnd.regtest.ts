/**
 * The mint on a real Lightning network (btcd regtest, LND A for the mint, LND B as the world),
 * run as operators run it, with a least-privilege macaroon, and used by a cashu-ts wallet.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Proof, Wallet } from '@cashu/cashu-ts'
import {
  createInvoice,
  decodePaymentRequest,
  getChannelBalance,
  getInvoice,
  getRouteToDestination,
  grantAccess,
  pay,
  payViaRoutes,
} from 'lightning'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresDatabase } from '../../../../packages/storage/test/databases.ts'
import { freePort } from '../free-port.ts'
import { meltAcrossACrash } from './melt-across-a-crash.ts'
import { type MintProcess, startMintProcess } from './mint-process.ts'
import { type RegtestNetwork, startRegtestNetwork, until } from './regtest-network.ts'

const LEAST_PRIVILEGE = ['info:read', 'invoices:read', 'invoices:write', 'offchain:read', 'offchain:write']

let network: RegtestNetwork
let database: { url: string; drop: () => Promise<void> }
let env: Record<string, string>
let macaroonHex: string
let mint: MintProcess

const total = (proofs: { amount: { toBigInt(): bigint } }[]) =>
  proofs.reduce((sum, p) => sum + p.amount.toBigInt(), 0n)

async function bakeMacaroon(permissions: string[]): Promise<{ path: string; hex: string }> {
  const { macaroon } = await grantAccess({ lnd: network.a.lnd, permissions })
  const path = join(network.dir, `mint-${randomBytes(4).toString('hex')}.macaroon`)
  await writeFile(path, Buffer.from(macaroon, 'base64'))
  return { path, hex: Buffer.from(macaroon, 'base64').toString('hex') }
}

async function newWallet(): Promise<Wallet> {
  const wallet = new Wallet(mint.url, { unit: 'sat', requireSigDleq: true })
  await wallet.loadMint()
  return wallet
}

/** A mint quote paid by node B over the channel, then minted. */
async function topUp(wallet: Wallet, amount: number): Promise<Proof[]> {
  const quote = await wallet.createMintQuoteBolt11(amount)
  expect(quote.request.startsWith('lnbcrt')).toBe(true)
  await pay({ lnd: network.b.lnd, request: quote.request })
  await until('the mint quote to be paid', async () => {
    return (await wallet.checkMintQuoteBolt11(quote.quote)).state === 'PAID'
  })
  return wallet.mintProofsBolt11(amount, quote.quote)
}

/** The settle index the mint has processed, as persisted. */
async function settlePosition(): Promise<bigint> {
  const sql = postgres(database.url, { max: 1 })
  try {
    const [row] =
      await sql`select position from settlement_positions where backend = ${`lnd:${network.a.publicKey}`}`
    return row ? BigInt(row.position) : 0n
  } finally {
    await sql.end()
  }
}

beforeAll(async () => {
  network = await startRegtestNetwork()
  database = await createPostgresDatabase()
  const macaroon = await bakeMacaroon(LEAST_PRIVILEGE)
  macaroonHex = macaroon.hex
  env = {
    DATABASE_URL: database.url,
    CASHU_MINT_DATA_DIR: await mkdtemp(join(tmpdir(), 'mint-regtest-')),
    CASHU_MINT_PORT: String(await freePort()),
    CASHU_MINT_ADMIN_PORT: '0',
    CASHU_MINT_LIGHTNING: 'lnd',
    CASHU_MINT_LND_SOCKET: network.a.socket,
    CASHU_MINT_LND_CERT_PATH: network.a.certPath,
    CASHU_MINT_LND_MACAROON_PATH: macaroon.path,
    CASHU_MINT_FAILED_PAYMENT_GRACE_SECONDS: '1',
    CASHU_MINT_MELT_WAIT_SECONDS: '5',
  }
  mint = await startMintProcess(env)
}, 600_000)

afterAll(async () => {
  await mint?.kill('SIGTERM')
  await network?.stop()
  await database?.drop()
})

describe('connecting to LND', () => {
  it('starts with a macaroon of exactly info:read, invoices:read/write, offchain:read/write', async () => {
    const info = (await (await fetch(`${mint.url}/v1/info`)).json()) as { name: string }
    expect(info.name).toBe('cashu-mint')
    expect(mint.output()).toContain(`LND ${network.a.publicKey} on regtest`)
  })

  it('refuses to start with a macaroon that lacks a permission, and names it', async () => {
    const weak = await bakeMacaroon(LEAST_PRIVILEGE.filter((p) => p !== 'invoices:write'))
    const attempt = startMintProcess({
      ...env,
      CASHU_MINT_PORT: String(await freePort()),
      CASHU_MINT_ADMIN_PORT: '0',
      CASHU_MINT_LND_MACAROON_PATH: weak.path,
    })
    await expect(attempt).rejects.toThrow(
      /exited \(1\).*lacks invoices:write; bake one with: lncli bakemacaroon/s,
    )
  })

  it('refuses to start when LND is unreachable, and says where it looked', async () => {
    const socket = `127.0.0.1:${await freePort()}`
    const attempt = startMintProcess({
      ...env,
      CASHU_MINT_PORT: String(await freePort()),
      CASHU_MINT_ADMIN_PORT: '0',
      CASHU_MINT_LND_SOCKET: socket,
    })
    await expect(attempt).rejects.toThrow(new RegExp(`cannot reach LND at ${socket}`))
  })
})

describe('minting and melting over Lightning', () => {
  it('mints after node B pays the invoice', async () => {
    const wallet = await newWallet()
    const proofs = await topUp(wallet, 5000)
    expect(total(proofs)).toBe(5000n)
  })

  it('melts to node B’s invoice and returns the unused fee reserve as change', async () => {
    const wallet = await newWallet()
    const proofs = await topUp(wallet, 20_000)
    const invoice = await createInvoice({ lnd: network.b.lnd, tokens: 10_000 })
    const quote = await wallet.createMeltQuoteBolt11(invoice.request)
    expect(quote.amount.toBigInt()).toBe(10_000n)
    // max(1 % of the amount, 2 sat)
    expect(quote.fee_reserve.toBigInt()).toBe(100n)
    const { send } = await wallet.send(10_100, proofs, { includeFees: true })
    const result = await wallet.meltProofsBolt11(quote, send)
    expect(result.quote.state).toBe('PAID')
    const preimage = result.quote.payment_preimage ?? ''
    expect(createHash('sha256').update(Buffer.from(preimage, 'hex')).digest('hex')).toBe(invoice.id)
    // A direct channel costs no routing fee: everything above the amount comes back.
    expect(total(result.change)).toBe(total(send) - 10_000n)
    expect((await getInvoice({ lnd: network.b.lnd, id: invoice.id })).is_confirmed).toBe(true)
  })

  it('pays part of an invoice (NUT-15 MPP) while someone else pays the rest', async () => {
    const wallet = await newWallet()
    const proofs = await topUp(wallet, 10_000)
    const invoice = await createInvoice({ lnd: network.b.lnd, tokens: 20_000 })
    const quote = await wallet.createMultiPathMeltQuote(invoice.request, 8_000_000)
    expect(quote.amount.toBigInt()).toBe(8000n)
    const { send } = await wallet.send(8000 + Number(quote.fee_reserve.toBigInt()), proofs, {
      includeFees: true,
    })
    const melting = wallet.meltProofsBolt11(quote, send)
    // The other payer: 12,000 sat over its own route carrying the same MPP record.
    const decoded = await decodePaymentRequest({ lnd: network.a.lnd, request: invoice.request })
    const { route } = await getRouteToDestination({
      lnd: network.a.lnd,
      destination: decoded.destination,
      mtokens: '12000000',
      total_mtokens: '20000000',
      ...(decoded.payment ? { payment: decoded.payment } : {}),
      ...(decoded.cltv_delta ? { cltv_delta: decoded.cltv_delta } : {}),
    })
    if (!route) throw new Error('no route for the other part')
    await payViaRoutes({ lnd: network.a.lnd, id: invoice.id, routes: [route] })
    const result = await melting
    expect(result.quote.state).toBe('PAID')
    const received = await getInvoice({ lnd: network.b.lnd, id: invoice.id })
    expect(received.is_confirmed).toBe(true)
    expect(received.received).toBe(20_000)
  })

  it('settles a melt to one of its own invoices internally, without Lightning', async () => {
    const payer = await newWallet()
    const payee = await newWallet()
    const proofs = await topUp(payer, 3000)
    const mintQuote = await payee.createMintQuoteBolt11(1000)
    const quote = await payer.createMeltQuoteBolt11(mintQuote.request)
    expect(quote.fee_reserve.toBigInt()).toBe(0n)
    const { send } = await payer.send(1000, proofs, { includeFees: true })
    const result = await payer.meltProofsBolt11(quote, send)
    expect(result.quote.state).toBe('PAID')
    expect((await payee.checkMintQuoteBolt11(mintQuote.quote)).state).toBe('PAID')
    expect(total(await payee.mintProofsBolt11(1000, mintQuote.quote))).toBe(1000n)
    // LND never saw a payment: the invoice is still open on node A.
    const { id } = await decodePaymentRequest({ lnd: network.a.lnd, request: mintQuote.request })
    expect((await getInvoice({ lnd: network.a.lnd, id })).is_confirmed).toBe(false)
  })
})

describe('restarts and crashes', () => {
  it('credits an invoice paid while the mint was down, resuming after the persisted settle index', async () => {
    const wallet = await newWallet()
    const quote = await wallet.createMintQuoteBolt11(700)
    const before = await settlePosition()
    await mint.kill('SIGTERM')
    await pay({ lnd: network.b.lnd, request: quote.request })
    const { id } = await decodePaymentRequest({ lnd: network.a.lnd, request: quote.request })
    const settled = await getInvoice({ lnd: network.a.lnd, id })
    expect(settled.is_confirmed).toBe(true)
    mint = await startMintProcess(env)
    const restarted = await newWallet()
    await until('the quote to be credited', async () => {
      return (await restarted.checkMintQuoteBolt11(quote.quote)).state === 'PAID'
    })
    expect(total(await restarted.mintProofsBolt11(700, quote.quote))).toBe(700n)
    await until('the settle index to move past the payment', async () => (await settlePosition()) > before)
  })

  for (const outcome of ['settles', 'cancels'] as const) {
    it(`resolves a payment in flight when the mint was killed, after node B ${outcome} it`, async () => {
      const wallet = await newWallet()
      await meltAcrossACrash({
        network,
        wallet,
        proofs: await topUp(wallet, 3000),
        amount: 1000,
        amountMsat: 1_000_000n,
        outcome,
        crash: async () => {
          await mint.kill('SIGKILL')
          mint = await startMintProcess(env)
          return mint.url
        },
      })
    })
  }

  it('reports the node’s channel balance against the ecash it owes (admin API, least-privilege macaroon)', async () => {
    const adminUrl = /"adminUrl":"([^"]+)"/.exec(mint.output())?.[1]
    const token = (await readFile(join(env.CASHU_MINT_DATA_DIR ?? '', 'admin-token'), 'utf8')).trim()
    const response = await fetch(`${adminUrl}/v1/admin/balance`, {
      headers: { authorization: `Bearer ${token}` },
    })
    const balance = (await response.json()) as {
      backends: { name: string; balance_msat: number; liabilities_msat: number; solvent: boolean }[]
    }
    const channels = await getChannelBalance({ lnd: network.a.lnd })
    const [lnd] = balance.backends
    expect(lnd?.name).toBe('lnd')
    expect(BigInt(lnd?.balance_msat ?? 0)).toBe(BigInt(channels.channel_balance_mtokens ?? '0'))
    expect(lnd?.balance_msat).toBeGreaterThan(0)
    expect(lnd?.solvent).toBe(true)
  })

  it('never prints the macaroon', () => {
    expect(mint.output()).not.toContain(macaroonHex)
    expect(mint.output()).not.toContain(Buffer.from(macaroonHex, 'hex').toString('base64'))
  })
})
