/**
 * The Lightning port: what the engine asks of a payment backend (LND, the FakeWallet): invoices for
 * mint quotes, their settlements, and outgoing payments with a hard fee limit. A backend that
 * cannot be reached throws UnavailableError (ports/unavailable.ts) where the engine waits on it.
 */

export interface CreatedInvoice {
  request: string
  paymentHash: string
  /** Unix seconds. */
  expiry: bigint
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
  invoice: string
  paymentHash: string
  /** The amount to send: the invoice's, a NUT-15 part of it, or a NUT-23 amountless amount. */
  amountMsat: bigint
  maxFeeMsat: bigint
}

export interface LightningBackend {
  /** Identifies the backend and its node (e.g. `lnd:<pubkey>`); settlement positions are kept per name. */
  readonly name: string
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
  estimateFee(request: { invoice: string; amountMsat: bigint }): Promise<PaymentQuote>
  pay(request: OutgoingPayment): Promise<PaymentResult>
  paymentStatus(paymentHash: string): Promise<PaymentResult>
  /** What the node can spend over its channels, msat: for the operator's solvency figures. */
  balance(): Promise<bigint>
}
