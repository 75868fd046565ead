/**
 * FakeWallet: a PaymentBackend with no Lightning behind it, for development and for wallets'
 * own integration suites. Its invoices are real signed bolt11 strings with the right amount
 * (`lnbc13370n1…` for 1337 sat) and are paid by themselves after `autoPayDelayMs`, announced on the
 * settlement stream. Outgoing payments of any invoice succeed after the same delay with a small fee,
 * unless a test switches the outcome to a failure, a payment stuck in flight, or a thrown error, so
 * the mint's recovery paths can be exercised.
 *
 * What wallet test suites expect of a fake backend, as Nutshell's and CDK's behave: invoices that
 * expired long ago (suites carry fixed ones) are paid too, and a paid invoice's preimage is the real
 * one for this wallet's own invoices and 64 zeros for others (Nutshell's wallet skips its preimage
 * check for zeros). A delay of 0 pays at once.
 *
 * Its balance is that of a small node: an opening 0.1 BTC (`openingBalanceMsat`) plus what its
 * invoices received minus what it paid with fees; a payment it cannot cover fails, as a real
 * node's would, so the operator's solvency figures stay plausible in development.
 */
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Bolt11Network, decodeBolt11 } from '@cashu-mint/core/lightning'
import {
  type BackendCapabilities,
  type Clock,
  type CreatedInvoice,
  type InvoiceStatus,
  nowSeconds,
  type OutgoingPayment,
  type PaymentBackend,
  type PaymentResult,
  type Settlement,
  systemClock,
} from '@cashu-mint/core/mint'
import { encodeBolt11 } from '@cashu-mint/core/testing'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'

export type FakePaymentOutcome = 'PAID' | 'FAILED' | 'PENDING' | 'ERROR'

export interface FakeWalletOptions {
  /** Its name, when a mint runs more than one (quotes record it). Default `fake-wallet`. */
  name?: string
  /** Delay before an invoice pays itself and before a payment completes. Default 1000 ms. */
  autoPayDelayMs?: number
  /** Whether created invoices pay themselves. Default true. */
  autoPay?: boolean
  network?: Bolt11Network
  /** Fee charged on outgoing payments, in parts per million of the amount; at least 1 sat. Default 5000 (0.5%). */
  feePpm?: bigint
  /** What the node holds before any traffic, msat. Default 10,000,000,000 (0.1 BTC). */
  openingBalanceMsat?: bigint
  /** What invoices are dated with; default the system's. */
  clock?: Clock
}

export const DEFAULT_OPENING_BALANCE_MSAT = 10_000_000_000n

interface Invoice {
  amountMsat: bigint
  preimage: string
  status: InvoiceStatus
}

/** The preimage of a payment whose real one nobody here knows. */
const UNKNOWN_PREIMAGE = '0'.repeat(64)

export class FakeWallet implements PaymentBackend {
  readonly name: string
  /** Its settlements are announced in this process only: no replay; the engine asks about open quotes. */
  readonly capabilities: BackendCapabilities = {
    methods: ['bolt11'],
    mpp: true,
    amountless: true,
    description: true,
    replaysSettlements: false,
  }
  readonly paysExpiredInvoices = true
  readonly #nodeKey = Uint8Array.from(randomBytes(32))
  readonly #invoices = new Map<string, Invoice>()
  readonly #payments = new Map<string, PaymentResult>()
  readonly #listeners = new Set<(s: Settlement) => void>()
  readonly #delay: number
  readonly network: Bolt11Network
  readonly #feePpm: bigint
  readonly #clock: Clock
  /** The opening balance plus settled invoices minus paid payments (amount and fee), msat. */
  #balanceMsat: bigint
  autoPay: boolean
  /** What the next outgoing payments do. */
  paymentOutcome: FakePaymentOutcome = 'PAID'

  constructor(options: FakeWalletOptions = {}) {
    this.name = options.name ?? 'fake-wallet'
    this.#delay = options.autoPayDelayMs ?? 1000
    this.network = options.network ?? 'bitcoin'
    this.#feePpm = options.feePpm ?? 5000n
    this.#balanceMsat = options.openingBalanceMsat ?? DEFAULT_OPENING_BALANCE_MSAT
    this.autoPay = options.autoPay ?? true
    this.#clock = options.clock ?? systemClock
  }

  async createInvoice(request: {
    amountMsat: bigint
    description?: string
    expirySeconds: number
  }): Promise<CreatedInvoice> {
    const preimage = randomBytes(32)
    const paymentHash = bytesToHex(sha256(preimage))
    const timestamp = nowSeconds(this.#clock)
    const invoice = encodeBolt11({
      network: this.network,
      amountMsat: request.amountMsat,
      timestamp,
      expirySeconds: BigInt(request.expirySeconds),
      paymentHash,
      paymentSecret: randomBytes(32).toString('hex'),
      description: request.description ?? '',
      nodeKey: this.#nodeKey,
    })
    this.#invoices.set(paymentHash, {
      amountMsat: request.amountMsat,
      preimage: bytesToHex(preimage),
      status: { state: 'OPEN', amountPaidMsat: 0n },
    })
    if (this.autoPay) setTimeout(() => this.settleInvoice(paymentHash), this.#delay).unref()
    return { request: invoice, paymentHash, expiry: timestamp + BigInt(request.expirySeconds) }
  }

  /** Marks an incoming invoice paid and announces it, as if a payer had paid it. */
  settleInvoice(paymentHash: string): void {
    const invoice = this.#invoices.get(paymentHash)
    if (invoice?.status.state !== 'OPEN') return
    invoice.status = { state: 'PAID', amountPaidMsat: invoice.amountMsat, preimage: invoice.preimage }
    this.#balanceMsat += invoice.amountMsat
    for (const listener of this.#listeners) listener({ paymentHash, amountPaidMsat: invoice.amountMsat })
  }

  async invoiceStatus(paymentHash: string): Promise<InvoiceStatus> {
    const invoice = this.#invoices.get(paymentHash)
    if (!invoice) return { state: 'CANCELED', amountPaidMsat: 0n }
    return { ...invoice.status, preimage: invoice.preimage }
  }

  async *settlements(signal: AbortSignal): AsyncIterable<Settlement> {
    const queue: Settlement[] = []
    let wake: (() => void) | undefined
    const listener = (s: Settlement) => {
      queue.push(s)
      wake?.()
    }
    const onAbort = () => wake?.()
    this.#listeners.add(listener)
    signal.addEventListener('abort', onAbort)
    try {
      while (!signal.aborted) {
        const next = queue.shift()
        if (next) yield next
        else await new Promise<void>((resolve) => (wake = resolve))
      }
    } finally {
      this.#listeners.delete(listener)
      signal.removeEventListener('abort', onAbort)
    }
  }

  #fee(amountMsat: bigint): bigint {
    const fee = (amountMsat * this.#feePpm) / 1_000_000n
    return fee > 1000n ? fee : 1000n
  }

  async estimateFee(request: { invoice: string; amountMsat: bigint }): Promise<{ feeEstimateMsat: bigint }> {
    decodeBolt11(request.invoice)
    return { feeEstimateMsat: this.#fee(request.amountMsat) }
  }

  async pay(request: OutgoingPayment): Promise<PaymentResult> {
    // Like a node, it pays an invoice once: asked again, it answers the payment it made or is making.
    const earlier = this.#payments.get(request.paymentHash)
    if (earlier && earlier.status !== 'FAILED') return earlier
    const outcome = this.paymentOutcome
    if (outcome === 'ERROR') throw new Error('fake wallet: connection lost while paying')
    // Like a real node, the payment is known (in flight) from the moment it is sent.
    this.#payments.set(request.paymentHash, { status: 'PENDING' })
    if (outcome === 'PENDING') return { status: 'PENDING' }
    await sleep(this.#delay)
    const fee = this.#fee(request.amountMsat)
    const failure =
      outcome === 'FAILED'
        ? 'no route'
        : fee > request.maxFeeMsat
          ? 'fee exceeds the limit'
          : request.amountMsat + fee > this.#balanceMsat
            ? 'insufficient balance'
            : undefined
    const result: PaymentResult = failure
      ? { status: 'FAILED', reason: failure }
      : {
          status: 'PAID',
          preimage: this.#invoices.get(request.paymentHash)?.preimage ?? UNKNOWN_PREIMAGE,
          feeMsat: fee,
        }
    this.#payments.set(request.paymentHash, result)
    if (result.status === 'PAID') this.#balanceMsat -= request.amountMsat + result.feeMsat
    return result
  }

  async balance(): Promise<bigint> {
    return this.#balanceMsat
  }

  async paymentStatus(paymentHash: string): Promise<PaymentResult> {
    // A payment this node never started definitely did not happen.
    return this.#payments.get(paymentHash) ?? { status: 'FAILED', reason: 'payment not found' }
  }

  /** Ends a payment left PENDING with a definite outcome. */
  resolvePayment(paymentHash: string, result: PaymentResult): void {
    this.#payments.set(paymentHash, result)
  }
}
