/**
 * PaymentBackend on an LNbits wallet (LNbits 1.6, its REST API with the wallet's admin key): an
 * operator who already runs LNbits, on whatever funding source it has, points the mint at one of
 * its wallets. Invoices are whole sat (LNbits makes no msat invoices), so an amount is rounded up.
 * Settlements come over LNbits' websocket for the wallet; anyone can write into that channel, so a
 * message is only a hint that is checked with the API before anything is credited, and a channel
 * that was down replays nothing (capabilities.replaysSettlements: false: the engine asks about open
 * quotes itself). LNbits takes no fee limit per payment: its own reserve (LNBITS_RESERVE_FEE_MIN,
 * _PERCENT) caps the routing fee, and the mint asks for that reserve in its quotes, so what it
 * quotes always covers it. A payment whose outcome is not clear is UNKNOWN, never FAILED.
 */
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

export interface LnbitsOptions {
  /** LNbits' base URL. */
  url: string
  /** The wallet's admin key (it pays; it also reads). */
  adminKey: string
  /**
   * The wallet's invoice key, for the settlement websocket: its channel is named by the key in the
   * URL, and without it the admin key would have to be.
   */
  invoiceKey?: string | undefined
  /** The chain LNbits' funding source is on: invoices for another are refused. */
  network: 'bitcoin' | 'testnet' | 'signet' | 'regtest'
  fetch?: typeof fetch
}

/** A payment as LNbits describes it (amounts and fees in msat, negative for outgoing). */
interface Payment {
  payment_hash: string
  bolt11: string
  amount: number
  fee: number
  status: 'pending' | 'success' | 'failed'
  expiry?: string | null
  preimage?: string | null
}

class LnbitsError extends Error {
  readonly status: number
  readonly detail: string
  /** LNbits' own verdict on a refused payment: "failed", "pending" or "success". */
  readonly paymentStatus: string | undefined

  constructor(status: number, detail: string, paymentStatus: string | undefined) {
    super(`LNbits answered ${status}: ${detail}`)
    this.status = status
    this.detail = detail
    this.paymentStatus = paymentStatus
  }
}

const sat = (msat: bigint) => (msat + 999n) / 1000n

/** LNbits asks its funding source about a payment in flight, which may wait for the payee: PENDING after this long. */
const STATUS_MS = 5_000

export class LnbitsBackend implements PaymentBackend {
  readonly name: string
  readonly network: LnbitsOptions['network']
  readonly capabilities: BackendCapabilities = {
    methods: ['bolt11'],
    mpp: false,
    amountless: false,
    description: true,
    replaysSettlements: false,
  }
  /** The wallet's name in LNbits, for logs. */
  readonly walletName: string
  readonly #url: string
  readonly #key: string
  readonly #channel: string
  readonly #fetch: typeof fetch

  constructor(options: LnbitsOptions, wallet: { id?: string; name: string }) {
    this.#url = options.url.replace(/\/+$/, '')
    this.#key = options.adminKey
    this.#channel = options.invoiceKey ?? options.adminKey
    this.#fetch = options.fetch ?? fetch
    this.network = options.network
    this.walletName = wallet.name
    this.name = `lnbits:${new URL(this.#url).host}:${wallet.id ?? wallet.name}`
  }

  /** One API call: JSON in and out, the admin key, a deadline; LNbits' refusal as LnbitsError. */
  async #api<T>(method: string, path: string, body?: unknown, timeoutMs = 15_000): Promise<T> {
    const response = await this.#fetch(`${this.#url}${path}`, {
      method,
      headers: { 'x-api-key': this.#key, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    })
    const text = await response.text()
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {}
    if (!response.ok)
      throw new LnbitsError(
        response.status,
        String(parsed.detail ?? text),
        parsed.status as string | undefined,
      )
    return parsed as T
  }

  async createInvoice(request: {
    amountMsat: bigint
    description?: string
    expirySeconds: number
  }): Promise<CreatedInvoice> {
    const amountSat = sat(request.amountMsat)
    let payment: Payment
    try {
      payment = await this.#api<Payment>('POST', '/api/v1/payments', {
        out: false,
        amount: Number(amountSat),
        unit: 'sat',
        memo: request.description ?? '',
        expiry: request.expirySeconds,
      })
    } catch (error) {
      throw new UnavailableError('lightning', `LNbits made no invoice: ${(error as Error).message}`)
    }
    const expiry = payment.expiry
      ? BigInt(Math.floor(Date.parse(payment.expiry) / 1000))
      : BigInt(Math.floor(Date.now() / 1000) + request.expirySeconds)
    return {
      request: payment.bolt11,
      paymentHash: payment.payment_hash,
      expiry,
      amountMsat: amountSat * 1000n,
    }
  }

  async invoiceStatus(paymentHash: string): Promise<InvoiceStatus> {
    const { paid, details } = await this.#api<{ paid: boolean; details?: Payment }>(
      'GET',
      `/api/v1/payments/${encodeURIComponent(paymentHash)}`,
    )
    // Only an incoming payment of this wallet counts (an outgoing one has a negative amount).
    if (!paid || !details || details.amount <= 0) return { state: 'OPEN', amountPaidMsat: 0n }
    return { state: 'PAID', amountPaidMsat: BigInt(details.amount) }
  }

  /**
   * LNbits' websocket for the wallet: each message naming an incoming payment is checked with the
   * API (the channel accepts anyone's messages) and only then passed on.
   */
  async *settlements(signal: AbortSignal): AsyncIterable<Settlement> {
    const socket = new WebSocket(
      `${this.#url.replace(/^http/, 'ws')}/api/v1/ws/${encodeURIComponent(this.#channel)}`,
    )
    const hashes: string[] = []
    let failure: Error | undefined
    let wake: () => void = () => undefined
    socket.addEventListener('message', (event) => {
      try {
        const message = JSON.parse(String(event.data)) as { payment?: Partial<Payment> }
        const hash = message.payment?.payment_hash
        if (typeof hash === 'string' && (message.payment?.amount ?? 0) > 0) hashes.push(hash)
      } catch {
        // Not a payment notification: nothing to check.
      }
      wake()
    })
    const fail = (why: string) => {
      failure ??= new Error(`LNbits' websocket ${why}`)
      wake()
    }
    socket.addEventListener('error', () => fail('failed'))
    socket.addEventListener('close', () => fail('closed'))
    const onAbort = () => wake()
    signal.addEventListener('abort', onAbort)
    try {
      while (!signal.aborted) {
        const hash = hashes.shift()
        if (hash) {
          const status = await this.invoiceStatus(hash).catch(() => undefined)
          if (status?.state === 'PAID') yield { paymentHash: hash, amountPaidMsat: status.amountPaidMsat }
        } else if (failure) throw failure
        else await new Promise<void>((resolve) => (wake = resolve))
      }
    } finally {
      signal.removeEventListener('abort', onAbort)
      socket.close()
    }
  }

  /** LNbits' own reserve for paying the invoice: what it will allow the route to cost. */
  async estimateFee(request: { invoice: string }): Promise<PaymentQuote> {
    const { fee_reserve } = await this.#api<{ fee_reserve: number }>(
      'GET',
      `/api/v1/payments/fee-reserve?invoice=${encodeURIComponent(request.invoice)}`,
    )
    return { feeEstimateMsat: BigInt(fee_reserve) }
  }

  async pay(request: OutgoingPayment): Promise<PaymentResult> {
    try {
      const payment = await this.#api<Payment>(
        'POST',
        '/api/v1/payments',
        { out: true, bolt11: request.invoice },
        120_000,
      )
      return outcomeOf(payment)
    } catch (error) {
      // LNbits' verdict on a refusal: "failed" before anything was sent; anything else is for the status to say.
      if (error instanceof LnbitsError && error.paymentStatus === 'failed')
        return { status: 'FAILED', reason: error.detail }
      return this.paymentStatus(request.paymentHash)
    }
  }

  async paymentStatus(paymentHash: string): Promise<PaymentResult> {
    try {
      const { details } = await this.#api<{ paid: boolean; status?: string; details?: Payment }>(
        'GET',
        `/api/v1/payments/${encodeURIComponent(paymentHash)}`,
        undefined,
        STATUS_MS,
      )
      if (!details || details.amount >= 0)
        return { status: 'UNKNOWN', reason: 'LNbits has no payment of it from this wallet' }
      return outcomeOf(details)
    } catch (error) {
      // LNbits keeps a payment from the moment it is asked to make it: one it does not know was never sent.
      if (error instanceof LnbitsError && error.status === 404)
        return { status: 'FAILED', reason: 'LNbits has no such payment' }
      return { status: 'UNKNOWN', reason: (error as Error).message }
    }
  }

  async balance(): Promise<bigint | null> {
    const wallet = await this.#api<{ balance: number }>('GET', '/api/v1/wallet')
    return BigInt(wallet.balance)
  }
}

/** An outgoing payment as LNbits reports it (amount and fee negative, msat). */
function outcomeOf(payment: Payment): PaymentResult {
  if (payment.status === 'success')
    return {
      status: 'PAID',
      preimage: payment.preimage ?? '0'.repeat(64),
      feeMsat: BigInt(Math.abs(payment.fee)),
    }
  if (payment.status === 'failed') return { status: 'FAILED', reason: 'LNbits says the payment failed' }
  return { status: 'PENDING' }
}

/** Connects, and checks before the mint takes a request that LNbits answers and takes the key as an admin key. */
export async function connectLnbits(options: LnbitsOptions): Promise<LnbitsBackend> {
  const origin = new URL(options.url).origin
  const response = await (options.fetch ?? fetch)(`${options.url.replace(/\/+$/, '')}/api/v1/wallet`, {
    headers: { 'x-api-key': options.adminKey },
    signal: AbortSignal.timeout(10_000),
  }).catch((error: Error) => {
    throw new Error(
      `cannot reach LNbits at ${origin} (${error.cause instanceof Error ? error.cause.message : error.message})`,
    )
  })
  const wallet = (await response.json().catch(() => ({}))) as { id?: string; name?: string; detail?: string }
  if (!response.ok)
    throw new Error(
      `LNbits at ${origin} refused the key (${wallet.detail ?? response.status}): is it the wallet's admin key?`,
    )
  // LNbits names the wallet's id only to its admin key.
  if (wallet.id === undefined)
    throw new Error(
      `LNbits at ${origin} took the key as an invoice key: the mint pays, it needs the admin key`,
    )
  return new LnbitsBackend(options, { id: wallet.id, name: wallet.name ?? wallet.id })
}
