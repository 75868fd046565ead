/**
 * PaymentBackend on LND over gRPC (the `lightning` package, which ln-service is built on).
 *
 * Incoming: invoices carry the quote's amount, description and expiry; settlements stream from
 * LND's invoice subscription and carry the settle index, which the engine persists and resumes
 * after. Outgoing: payments have a hard fee limit; a NUT-15 part of an invoice goes over a route
 * with an MPP record. Only LND's own verdict "failed" is a failure: a broken stream, a timeout or
 * an answer that does not say is UNKNOWN, and the payment is then followed through LND's payment
 * tracking.
 */
import { randomBytes } from 'node:crypto'
import type { EventEmitter } from 'node:events'
import { type Bolt11Network, decodeBolt11 } from '@cashu-mint/core/lightning'
import {
  type BackendCapabilities,
  type CreatedInvoice,
  type InvoiceStatus,
  type OutgoingPayment,
  type PaymentBackend,
  type PaymentQuote,
  type PaymentResult,
  type Settlement,
  UnavailableError,
} from '@cashu-mint/core/mint'
import {
  type AuthenticatedLnd,
  authenticatedLndGrpc,
  cancelHodlInvoice,
  createInvoice,
  decodePaymentRequest,
  deletePayment,
  getChannelBalance,
  getInvoice,
  getPayment,
  getRouteToDestination,
  getWalletInfo,
  payViaRoutes,
  subscribeToInvoices,
  subscribeToPastPayment,
  subscribeToPayViaRequest,
} from 'lightning'
import { type LndConnectionOptions, readLndCredentials } from './lnd-credentials.ts'
import { describeLndError, isPermissionDenied, lndErrorName } from './lnd-errors.ts'

export interface LndBackendOptions extends LndConnectionOptions {
  /** How long connecting may take before LND counts as unreachable. Default 15 s. */
  connectTimeoutMs?: number
  /** How long LND may look for a route for an outgoing payment. Default 60 s. */
  pathfindingTimeoutMs?: number
}

/** What the mint needs from its macaroon, and nothing more. */
export const REQUIRED_PERMISSIONS = [
  'info:read',
  'invoices:read',
  'invoices:write',
  'offchain:read',
  'offchain:write',
] as const

/** Chain ids as the lightning package reports LND's chains, and the bolt11 network of each. */
const CHAIN_NETWORKS: Record<string, Bolt11Network> = {
  '6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000': 'bitcoin',
  '43497fd7f826957108f4a30fd9cec3aeba79972084e90ead01ea330900000000': 'testnet',
  '43f08bdab050e35b567c864b91f47f50ae725ae2de53bcfbbaf284da00000000': 'testnet',
  f61eee3b63a380a477a063af32b2bbc97c9ff9f01f2c4225e973988108000000: 'signet',
  '06226e46111a0b59caaf126043eb5bbf28c34f3a5e332a1fc7b2b73cf188910f': 'regtest',
}

const randomHash = () => randomBytes(32).toString('hex')

/**
 * One harmless call per permission, on a hash that cannot exist: LND answers "not found" when
 * the macaroon allows the call and "permission denied" when it does not. (LND's own permission
 * check, CheckMacaroonPermissions, would need macaroon:read, which the mint has no use for.)
 */
const PERMISSION_PROBES: Record<string, (lnd: AuthenticatedLnd) => Promise<unknown>> = {
  'invoices:read': (lnd) => getInvoice({ lnd, id: randomHash() }),
  'invoices:write': (lnd) => cancelHodlInvoice({ lnd, id: randomHash() }),
  'offchain:read': (lnd) => getPayment({ lnd, id: randomHash() }),
  'offchain:write': (lnd) => deletePayment({ lnd, id: randomHash() }),
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

function connectionProblem(socket: string, error: unknown): string {
  const name = lndErrorName(error)
  if (name === 'LndLocked')
    return `LND at ${socket} is locked: unlock its wallet (lncli unlock), then start the mint`
  if (isPermissionDenied(error))
    return `LND at ${socket} refused the macaroon (${describeLndError(error)}): is it this node's macaroon?`
  return `cannot reach LND at ${socket} (${describeLndError(error)}): check the address, that LND is running, and that the TLS certificate is this node's`
}

/**
 * Connects and checks, before the mint takes a single request, that LND answers, is unlocked,
 * and that the macaroon grants every permission the mint uses.
 */
export async function connectLnd(options: LndBackendOptions): Promise<LndBackend> {
  const credentials = readLndCredentials(options)
  const { lnd } = authenticatedLndGrpc(credentials)
  const timeoutMs = options.connectTimeoutMs ?? 15_000
  const info = await withTimeout(
    getWalletInfo({ lnd }),
    timeoutMs,
    `no answer within ${timeoutMs / 1000} s`,
  ).catch((error: unknown) => {
    throw new Error(connectionProblem(credentials.socket, error))
  })
  const network = info.chains.map((chain) => CHAIN_NETWORKS[chain]).find((n) => n !== undefined)
  if (!network) throw new Error(`LND at ${credentials.socket} is on a chain the mint does not know`)
  const missing: string[] = []
  for (const [permission, probe] of Object.entries(PERMISSION_PROBES)) {
    const denied = await probe(lnd).then(
      () => false,
      (error: unknown) => isPermissionDenied(error),
    )
    if (denied) missing.push(permission)
  }
  if (missing.length > 0) {
    throw new Error(
      `the LND macaroon lacks ${missing.join(', ')}; bake one with: lncli bakemacaroon ${REQUIRED_PERMISSIONS.join(' ')}`,
    )
  }
  return new LndBackend(lnd, info.public_key, network, options.pathfindingTimeoutMs ?? 60_000)
}

interface FailedPayment {
  is_insufficient_balance?: boolean
  is_invalid_payment?: boolean
  is_pathfinding_timeout?: boolean
  is_route_not_found?: boolean
}

function failureReason(failed: FailedPayment): string {
  if (failed.is_insufficient_balance) return 'insufficient balance'
  if (failed.is_route_not_found) return 'no route'
  if (failed.is_pathfinding_timeout) return 'no route found in time'
  if (failed.is_invalid_payment) return 'rejected by the destination'
  return 'failed'
}

const paid = (payment: { secret: string; fee_mtokens: string }): PaymentResult => ({
  status: 'PAID',
  preimage: payment.secret,
  feeMsat: BigInt(payment.fee_mtokens),
})

/**
 * LND's verdict on a payment's event stream (paying or tracking): confirmed or failed. A stream that
 * errs or ends without one is left to `otherwise`, with why.
 */
function verdict(
  events: EventEmitter,
  otherwise: (why: string) => PaymentResult | Promise<PaymentResult>,
): Promise<PaymentResult> {
  return new Promise((resolve) => {
    const done = (result: PaymentResult | Promise<PaymentResult>) => {
      events.removeAllListeners()
      // The lightning package may still report a late error; nobody listens any more.
      events.on('error', () => {})
      resolve(result)
    }
    events.once('confirmed', (payment) => done(paid(payment)))
    events.once('failed', (failed) => done({ status: 'FAILED', reason: failureReason(failed) }))
    events.once('error', (error: unknown) => done(otherwise(describeLndError(error))))
    events.once('end', () => done(otherwise('the stream ended without an outcome')))
  })
}

/** gRPC NOT_FOUND: LND has no invoice with that hash. */
const isNotFound = (error: unknown) =>
  Array.isArray(error) && (error[2] as { err?: { code?: number } } | undefined)?.err?.code === 5

export class LndBackend implements PaymentBackend {
  readonly name: string
  /** Its settle index replays what was paid while nobody listened; MPP and amountless by LND's router. */
  readonly capabilities: BackendCapabilities = {
    methods: ['bolt11'],
    mpp: true,
    amountless: true,
    description: true,
    replaysSettlements: true,
  }
  readonly network: Bolt11Network
  /** The node's identity key. */
  readonly publicKey: string
  readonly #lnd: AuthenticatedLnd
  readonly #pathfindingTimeoutMs: number

  constructor(
    lnd: AuthenticatedLnd,
    publicKey: string,
    network: Bolt11Network,
    pathfindingTimeoutMs: number,
  ) {
    this.#lnd = lnd
    this.publicKey = publicKey
    this.network = network
    this.name = `lnd:${publicKey}`
    this.#pathfindingTimeoutMs = pathfindingTimeoutMs
  }

  async createInvoice(request: {
    amountMsat: bigint
    description?: string
    expirySeconds: number
  }): Promise<CreatedInvoice> {
    const expiresAtMs = Date.now() + request.expirySeconds * 1000
    const invoice = await createInvoice({
      lnd: this.#lnd,
      mtokens: request.amountMsat.toString(),
      expires_at: new Date(expiresAtMs).toISOString(),
      ...(request.description ? { description: request.description } : {}),
    }).catch((error: unknown) => {
      // Nothing in the request makes LND refuse an invoice: a failure is the node's.
      throw new UnavailableError('lightning', `LND did not make the invoice: ${describeLndError(error)}`)
    })
    return {
      request: invoice.request,
      paymentHash: invoice.id,
      expiry: BigInt(Math.floor(expiresAtMs / 1000)),
    }
  }

  async invoiceStatus(paymentHash: string): Promise<InvoiceStatus> {
    try {
      const invoice = await getInvoice({ lnd: this.#lnd, id: paymentHash })
      const preimage = invoice.secret ? { preimage: invoice.secret } : {}
      if (invoice.is_confirmed)
        return { state: 'PAID', amountPaidMsat: BigInt(invoice.received_mtokens), ...preimage }
      return { state: invoice.is_canceled ? 'CANCELED' : 'OPEN', amountPaidMsat: 0n, ...preimage }
    } catch (error) {
      if (isNotFound(error)) return { state: 'CANCELED', amountPaidMsat: 0n }
      throw new Error(`LND invoice lookup failed: ${describeLndError(error)}`)
    }
  }

  async *settlements(signal: AbortSignal, after?: bigint): AsyncIterable<Settlement> {
    const subscription = subscribeToInvoices({
      lnd: this.#lnd,
      ...(after === undefined ? {} : { confirmed_after: Number(after) }),
    })
    const queue: (Settlement | Error)[] = []
    let wake = () => {}
    subscription.on('invoice_updated', (invoice) => {
      if (!invoice.is_confirmed || invoice.confirmed_index === undefined) return
      queue.push({
        paymentHash: invoice.id,
        amountPaidMsat: BigInt(invoice.received_mtokens),
        position: BigInt(invoice.confirmed_index),
      })
      wake()
    })
    // The lightning package would resubscribe by itself from its own cursor; instead the stream
    // ends here and the engine resubscribes after the position it has persisted.
    subscription.on('error', (error: unknown) => {
      queue.push(new Error(`LND invoice stream broke: ${describeLndError(error)}`))
      wake()
    })
    const onAbort = () => wake()
    signal.addEventListener('abort', onAbort)
    try {
      while (!signal.aborted) {
        const next = queue.shift()
        if (next instanceof Error) throw next
        if (next) yield next
        else await new Promise<void>((resolve) => (wake = resolve))
      }
    } finally {
      signal.removeEventListener('abort', onAbort)
      subscription.removeAllListeners()
    }
  }

  /** LND's route fee is capped by the fee limit; the engine's reserve (max(percent, minimum)) sets it. */
  async estimateFee(): Promise<PaymentQuote> {
    return { feeEstimateMsat: 0n }
  }

  async pay(request: OutgoingPayment): Promise<PaymentResult> {
    const total = decodeBolt11(request.invoice).amountMsat
    if (total !== undefined && request.amountMsat < total) return this.#payPart(request, total)
    let stream: ReturnType<typeof subscribeToPayViaRequest>
    try {
      stream = subscribeToPayViaRequest({
        lnd: this.#lnd,
        request: request.invoice,
        max_fee_mtokens: request.maxFeeMsat.toString(),
        pathfinding_timeout: this.#pathfindingTimeoutMs,
        ...(total === undefined ? { mtokens: request.amountMsat.toString() } : {}),
      })
    } catch (error) {
      // Refused before anything went to LND.
      return { status: 'FAILED', reason: describeLndError(error) }
    }
    return this.#outcome(stream, request.paymentHash)
  }

  /** NUT-15: one part of an invoice others pay the rest of, over a route with an MPP record. */
  async #payPart(request: OutgoingPayment, totalMsat: bigint): Promise<PaymentResult> {
    let route: Parameters<typeof payViaRoutes>[0]['routes'][number] | undefined
    try {
      const decoded = await decodePaymentRequest({ lnd: this.#lnd, request: request.invoice })
      const found = await getRouteToDestination({
        lnd: this.#lnd,
        destination: decoded.destination,
        mtokens: request.amountMsat.toString(),
        total_mtokens: totalMsat.toString(),
        max_fee_mtokens: request.maxFeeMsat.toString(),
        routes: decoded.routes,
        ...(decoded.payment ? { payment: decoded.payment } : {}),
        ...(decoded.cltv_delta ? { cltv_delta: decoded.cltv_delta } : {}),
      })
      route = found.route
    } catch (error) {
      // Nothing was sent yet: looking for a route is not paying.
      return { status: 'FAILED', reason: `no route: ${describeLndError(error)}` }
    }
    if (!route) return { status: 'FAILED', reason: 'no route within the fee limit' }
    try {
      return paid(await payViaRoutes({ lnd: this.#lnd, id: request.paymentHash, routes: [route] }))
    } catch {
      return this.#follow(request.paymentHash)
    }
  }

  /** Waits for LND's verdict on a payment stream; without one, follows the payment by its hash. */
  #outcome(stream: ReturnType<typeof subscribeToPayViaRequest>, paymentHash: string): Promise<PaymentResult> {
    return verdict(stream, () => this.#follow(paymentHash))
  }

  /**
   * Follows a payment through LND's tracking until LND settles or fails it. A payment LND does not
   * know is UNKNOWN here, not failed: the request may still be on its way to the node. Recovery
   * decides after a grace period.
   */
  async #follow(paymentHash: string): Promise<PaymentResult> {
    let tracking: ReturnType<typeof subscribeToPastPayment>
    try {
      tracking = subscribeToPastPayment({ lnd: this.#lnd, id: paymentHash })
    } catch (error) {
      return { status: 'UNKNOWN', reason: describeLndError(error) }
    }
    return verdict(tracking, (why) => ({ status: 'UNKNOWN', reason: `payment tracking: ${why}` }))
  }

  async balance(): Promise<bigint> {
    const balance = await getChannelBalance({ lnd: this.#lnd })
    return BigInt(balance.channel_balance_mtokens ?? balance.channel_balance * 1000)
  }

  async paymentStatus(paymentHash: string): Promise<PaymentResult> {
    try {
      const status = await getPayment({ lnd: this.#lnd, id: paymentHash })
      if (status.is_confirmed && status.payment) return paid(status.payment)
      if (status.is_failed) return { status: 'FAILED', reason: failureReason(status.failed ?? {}) }
      return { status: 'PENDING' }
    } catch (error) {
      // LND keeps every payment it started: one it does not know was never sent.
      if (lndErrorName(error) === 'SentPaymentNotFound') return { status: 'FAILED', reason: 'not found' }
      return { status: 'UNKNOWN', reason: describeLndError(error) }
    }
  }
}
