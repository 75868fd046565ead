/**
 * The payment port: what the engine asks of a payment backend (LND, CDK's payment processor,
 * LNbits, the FakeWallet): invoices for mint quotes, their settlements, and outgoing payments with
 * a hard fee limit, each in msat. A mint may run several at once, each serving some payment
 * methods for some units (context/payment-router.ts); what a backend can do beyond the basics is
 * in its capabilities, which NUT-06 advertises. A backend that cannot be reached throws
 * UnavailableError (ports/unavailable.ts) where the engine waits on it.
 */

/** What a backend can do: NUT-06 advertises it per method and unit, and the engine checks it. */
export interface BackendCapabilities {
  /** The NUT-04/05 payment methods it serves (`bolt11`). */
  methods: readonly string[]
  /** NUT-15: pays a part of an invoice while others pay the rest. */
  mpp: boolean
  /** NUT-23 `options.amountless`: pays an invoice that names no amount, for an amount the wallet gives. */
  amountless: boolean
  /** NUT-23 `options.description`: its invoices can carry the wallet's description. */
  description: boolean
  /**
   * `settlements(after)` replays what was paid after a position, so nothing paid while the mint was
   * down or the stream broken is missed. Without it, the engine asks about open quotes itself.
   */
  replaysSettlements: boolean
}

export interface CreatedInvoice {
  request: string
  paymentHash: string
  /** Unix seconds. */
  expiry: bigint
  /** What the invoice asks, when the backend rounded the amount asked for up (to whole sat). */
  amountMsat?: bigint
}

export type IncomingInvoiceState = 'OPEN' | 'PAID' | 'CANCELED'

export interface InvoiceStatus {
  state: IncomingInvoiceState
  amountPaidMsat: bigint
  /** The invoice's preimage, hex, where the backend made the invoice and knows it. */
  preimage?: string
}

export interface Settlement {
  paymentHash: string
  amountPaidMsat: bigint
  /**
   * The backend's position in its stream of settlements (LND's settle index), when it has one.
   * The engine persists it and resumes after it, so payments made while the mint was down or the
   * stream was broken are still announced.
   */
  position?: bigint
}

/**
 * Outcome of an outgoing payment. Only FAILED is definite failure; PENDING and UNKNOWN keep the
 * wallet's proofs reserved until a later status check resolves them.
 */
export type PaymentResult =
  | { status: 'PAID'; preimage: string; feeMsat: bigint }
  | { status: 'FAILED'; reason: string }
  | { status: 'PENDING' }
  | { status: 'UNKNOWN'; reason: string }

export interface PaymentQuote {
  /** Fee the backend expects to pay, msat; the engine adds its own margin. */
  feeEstimateMsat: bigint
}

/** An outgoing payment: the invoice (or the NUT-15 part of it) and the hard fee limit. */
export interface OutgoingPayment {
  /** The melt quote being paid. */
  quoteId: string
  invoice: string
  paymentHash: string
  /** The amount to send: the invoice's, a NUT-15 part of it, or a NUT-23 amountless amount. */
  amountMsat: bigint
  maxFeeMsat: bigint
}

export interface PaymentBackend {
  /**
   * Identifies the backend and what is behind it (`lnd:<pubkey>`, `lnbits:<wallet>`); quotes record
   * it, and settlement positions are kept per name, so it must stay the same across restarts.
   */
  readonly name: string
  readonly capabilities: BackendCapabilities
  /** The chain its payments are on: invoices for another network are refused at the quote. */
  readonly network: 'bitcoin' | 'testnet' | 'signet' | 'regtest'
  /**
   * Set only by a backend with no network behind it (the FakeWallet): it pays invoices whose expiry
   * has passed, as wallet test suites expect of it. Otherwise the engine refuses them at the quote.
   */
  readonly paysExpiredInvoices?: boolean
  /** Throws UnavailableError when the backend cannot be reached. */
  createInvoice(request: {
    amountMsat: bigint
    description?: string
    expirySeconds: number
  }): Promise<CreatedInvoice>
  invoiceStatus(paymentHash: string): Promise<InvoiceStatus>
  /**
   * Settled incoming invoices: those after `after` (a position from an earlier settlement) first,
   * then as they happen. The iterator ends when `signal` aborts and throws when the stream breaks.
   */
  settlements(signal: AbortSignal, after?: bigint): AsyncIterable<Settlement>
  /** `quoteId`: the melt quote this is for (backends that keep their own quotes key them by it). */
  estimateFee(request: { invoice: string; amountMsat: bigint; quoteId: string }): Promise<PaymentQuote>
  pay(request: OutgoingPayment): Promise<PaymentResult>
  /** `amountMsat`: what was sent (without fees), for backends that report amount and fee together. */
  paymentStatus(paymentHash: string, amountMsat: bigint): Promise<PaymentResult>
  /** What it can spend, msat, for the operator's solvency figures; null when it cannot say. */
  balance(): Promise<bigint | null>
}
