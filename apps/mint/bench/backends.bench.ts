/**
 * Payment backends, side by side on one regtest network (btcd, LND A behind every backend, LND B
 * paying and being paid over a direct channel): the mint (a process, its sources) with one backend
 * at a time serving sat: LND itself, CDK's payment processor on LND (mutual TLS), an LNbits wallet
 * on LND. For BENCH_PAYMENTS=40 payments each, one after another:
 * - top-up: from node B sending the payment of a mint quote's invoice to the mint announcing the
 *   quote PAID on its NUT-17 websocket;
 * - melt: a wallet's POST /v1/melt/bolt11 for an invoice of node B, until the mint answers PAID.
 * Prints p50/p99 of each; BENCH_WRITE=1 puts the table into docs/benchmarks.md. Needs PostgreSQL
 * (scripts/postgres.sh), Go (lnd, btcd), cargo (the processor) and Python (LNbits), each built or
 * installed once into .tools.
 */

import { mkdtemp } from 'node:fs/promises'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { type Proof, Wallet } from '@cashu/cashu-ts'
import { createInvoice, pay } from 'lightning'
import { createPostgresDatabase } from '../../../packages/storage/test/databases.ts'
import { freePort } from '../test/free-port.ts'
import { startPeersOnLnd } from '../test/peers/peers-on-lnd.ts'
import { startMintProcess } from '../test/regtest/mint-process.ts'
import { startRegtestNetwork } from '../test/regtest/regtest-network.ts'
import { percentile, writeBenchmarkSection } from './load/figures.ts'

const payments = Number(process.env.BENCH_PAYMENTS ?? 40)
const AMOUNT = 100

interface Row {
  backend: string
  topUp: number[]
  melt: number[]
}

/** Resolves when the mint says the quote is PAID on a NUT-17 subscription. */
function paidNotice(url: string, quote: string): { ready: Promise<void>; paid: Promise<number> } {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/ws`)
  let opened: () => void
  const ready = new Promise<void>((resolve) => {
    opened = resolve
  })
  const paid = new Promise<number>((resolve, reject) => {
    socket.onopen = () =>
      socket.send(
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'subscribe',
          params: { kind: 'bolt11_mint_quote', subId: quote, filters: [quote] },
        }),
      )
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as {
        id?: number
        params?: { payload?: { state?: string } }
      }
      if (message.id === 1) opened()
      if (message.params?.payload?.state === 'PAID') {
        resolve(performance.now())
        socket.close()
      }
    }
    socket.onerror = () => reject(new Error('the websocket failed'))
  })
  return { ready, paid }
}

async function measure(
  backend: string,
  backends: unknown[],
  network: Awaited<ReturnType<typeof startRegtestNetwork>>,
): Promise<Row> {
  const database = await createPostgresDatabase()
  const mint = await startMintProcess({
    DATABASE_URL: database.url,
    CASHU_MINT_DATA_DIR: await mkdtemp(join(tmpdir(), 'bench-backends-')),
    CASHU_MINT_PORT: String(await freePort()),
    CASHU_MINT_ADMIN_PORT: '0',
    CASHU_MINT_BACKENDS: JSON.stringify(backends),
    CASHU_MINT_RATE_LIMIT_PER_MINUTE: '0',
  })
  try {
    const wallet = new Wallet(mint.url, { unit: 'sat' })
    await wallet.loadMint()
    const row: Row = { backend, topUp: [], melt: [] }
    let proofs: Proof[] = []
    for (let i = 0; i < payments; i++) {
      const quote = await wallet.createMintQuoteBolt11(AMOUNT * 2)
      const notice = paidNotice(mint.url, quote.quote)
      await notice.ready
      const sent = performance.now()
      await pay({ lnd: network.b.lnd, request: quote.request })
      row.topUp.push((await notice.paid) - sent)
      proofs = [...proofs, ...(await wallet.mintProofsBolt11(AMOUNT * 2, quote.quote))]
    }
    for (let i = 0; i < payments; i++) {
      const invoice = await createInvoice({ lnd: network.b.lnd, tokens: AMOUNT })
      const quote = await wallet.createMeltQuoteBolt11(invoice.request)
      const { keep, send } = await wallet.send(AMOUNT + quote.fee_reserve.toNumber(), proofs, {
        includeFees: true,
      })
      const started = performance.now()
      const melted = await wallet.meltProofsBolt11(quote, send)
      row.melt.push(performance.now() - started)
      if (melted.quote.state !== 'PAID') throw new Error(`${backend}: melt ${i} ended ${melted.quote.state}`)
      proofs = [...keep, ...melted.change]
    }
    return row
  } finally {
    await mint.kill('SIGTERM')
    await database.drop()
  }
}

const ms = (values: number[], p: number) =>
  percentile(
    [...values].sort((a, b) => a - b),
    p,
  ).toFixed(0)

const network = await startRegtestNetwork()
const peers = await startPeersOnLnd(network.a)
const { processor, lnbits, certs, lnbitsWallet: keys } = peers
const rows: Row[] = []
try {
  rows.push(
    await measure(
      'LND',
      [
        {
          kind: 'lnd',
          socket: network.a.socket,
          cert_path: network.a.certPath,
          macaroon_path: network.a.adminMacaroonPath,
        },
      ],
      network,
    ),
  )
  rows.push(
    await measure(
      "CDK's payment processor on LND",
      [{ kind: 'cdk-processor', address: processor.address, tls_dir: certs.client, network: 'regtest' }],
      network,
    ),
  )
  rows.push(
    await measure(
      'LNbits on LND',
      [
        {
          kind: 'lnbits',
          url: lnbits.url,
          admin_key: keys.adminKey,
          invoice_key: keys.invoiceKey,
          network: 'regtest',
        },
      ],
      network,
    ),
  )
} finally {
  await peers.stop()
  await network.stop()
}

const table = [
  `${cpus().length} vCPU ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${payments} payments of ${AMOUNT} sat each way per backend, one at a time.`,
  '',
  '| backend | top-up p50 ms | top-up p99 ms | melt p50 ms | melt p99 ms |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.backend} | ${ms(r.topUp, 0.5)} | ${ms(r.topUp, 0.99)} | ${ms(r.melt, 0.5)} | ${ms(r.melt, 0.99)} |`,
  ),
].join('\n')
console.log(table)
if (process.env.BENCH_WRITE === '1') writeBenchmarkSection('backends', 'pnpm bench:backends', table)
