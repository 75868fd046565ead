/**
 * The payment backend contract (core/testing) on a real Lightning network, for each backend the
 * mint can run on: LND itself, CDK's payment processor in front of LND, and an LNbits wallet funded
 * by LND over REST. Node A is the mint's; node B is the world (it pays the mint's invoices, issues
 * the invoices and hold invoices the mint pays). Certificates for the processor's mutual TLS are
 * made as an operator would make them (tls-certificates.ts).
 */
import { createHash, randomBytes } from 'node:crypto'
import { connectCdkProcessor } from '@cashu-mint/cdk-processor'
import type { PaymentBackend } from '@cashu-mint/core/mint'
import { type BackendHarness, describeBackendConformance } from '@cashu-mint/core/testing'
import { connectLnbits } from '@cashu-mint/lnbits'
import { connectLnd } from '@cashu-mint/lnd'
import {
  cancelHodlInvoice,
  createHodlInvoice,
  createInvoice,
  decodePaymentRequest,
  getInvoice,
  getRouteToDestination,
  pay,
  payViaRoutes,
  settleHodlInvoice,
} from 'lightning'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PeersOnLnd, startPeersOnLnd } from '../peers/peers-on-lnd.ts'
import { type RegtestNetwork, startRegtestNetwork } from './regtest-network.ts'

let network: RegtestNetwork
let peers: PeersOnLnd

beforeAll(async () => {
  network = await startRegtestNetwork()
  peers = await startPeersOnLnd(network.a)
  // LNbits pays out of what its wallet received: node B funds it first.
  const backend = await openLnbits()
  const funding = await backend.createInvoice({ amountMsat: 500_000_000n, expirySeconds: 600 })
  await pay({ lnd: network.b.lnd, request: funding.request })
}, 600_000)

afterAll(async () => {
  await peers?.stop()
  await network?.stop()
})

const openLnbits = () =>
  connectLnbits({
    url: peers.lnbits.url,
    adminKey: peers.lnbitsWallet.adminKey,
    invoiceKey: peers.lnbitsWallet.invoiceKey,
    network: 'regtest',
  })

/** Node B as the rest of the network; node A pays the other part of an MPP invoice. */
function harness(
  capabilities: BackendHarness['capabilities'],
  open: () => Promise<PaymentBackend>,
): BackendHarness {
  return {
    capabilities,
    open,
    payInvoice: async (invoice) => {
      await pay({ lnd: network.b.lnd, request: invoice })
    },
    async externalInvoice(amountMsat) {
      const created = await createInvoice({
        lnd: network.b.lnd,
        ...(amountMsat === undefined ? {} : { mtokens: amountMsat.toString() }),
      })
      return { invoice: created.request, paymentHash: created.id }
    },
    async heldInvoice(amountMsat) {
      const secret = randomBytes(32)
      const id = createHash('sha256').update(secret).digest('hex')
      const created = await createHodlInvoice({ lnd: network.b.lnd, id, mtokens: amountMsat.toString() })
      return {
        invoice: created.request,
        paymentHash: id,
        settle: async () => {
          await settleHodlInvoice({ lnd: network.b.lnd, secret: secret.toString('hex') })
        },
        cancel: async () => {
          await cancelHodlInvoice({ lnd: network.b.lnd, id })
        },
      }
    },
    async payPart(invoice, amountMsat) {
      const decoded = await decodePaymentRequest({ lnd: network.a.lnd, request: invoice })
      // Node A pays both parts here: it pays the other only once the backend's part is held at the
      // payee, or a backend that first asks its node about the hash (CDK's processor) finds A's own
      // part in flight and, rightly, does not send.
      const deadline = Date.now() + 30_000
      for (;;) {
        const held = await getInvoice({ lnd: network.b.lnd, id: decoded.id })
        if (held.payments.some((payment) => payment.is_held)) break
        if (Date.now() > deadline) throw new Error("the backend's part never reached the payee")
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      const { route } = await getRouteToDestination({
        lnd: network.a.lnd,
        destination: decoded.destination,
        mtokens: amountMsat.toString(),
        total_mtokens: decoded.mtokens,
        ...(decoded.payment ? { payment: decoded.payment } : {}),
        ...(decoded.cltv_delta ? { cltv_delta: decoded.cltv_delta } : {}),
      })
      if (!route) throw new Error('no route for the other part')
      await payViaRoutes({ lnd: network.a.lnd, id: decoded.id, routes: [route] })
    },
    timeoutMs: 60_000,
  }
}

const api = { describe, it, expect }

describeBackendConformance(
  'LND',
  harness({ mpp: true, amountless: true, replaysSettlements: true }, () =>
    connectLnd({
      socket: network.a.socket,
      certPath: network.a.certPath,
      macaroonPath: network.a.adminMacaroonPath,
    }),
  ),
  api,
)

describeBackendConformance(
  'CDK payment processor on LND',
  harness({ mpp: true, amountless: true, replaysSettlements: false }, () =>
    connectCdkProcessor({ address: peers.processor.address, tlsDir: peers.certs.client, network: 'regtest' }),
  ),
  api,
)

describeBackendConformance(
  'LNbits on LND',
  harness({ mpp: false, amountless: false, replaysSettlements: false }, openLnbits),
  api,
)
