/**
 * PaymentBackend on CDK's payment processor: an out-of-process gRPC service (the crates.io
 * `cdk-payment-processor` binary in front of LND or Core Lightning, or any processor written to
 * the same protocol). Amounts travel in msat ("msat" units), so the processor needs no price; the
 * mint prices its own units. The processor's settlement stream does not replay what it missed, so
 * the engine also asks about open quotes (capabilities.replaysSettlements: false). A payment whose
 * outcome is not clear (an error, a dropped call) is UNKNOWN, never FAILED: recovery asks the
 * processor again by payment hash.
 */

import { decodeBolt11 } from '@cashu-mint/core/lightning'
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
import { status as grpcStatus, type ServiceError } from '@grpc/grpc-js'
import {
  type AmountMessage,
  type MakePaymentResponse,
  openProcessorClient,
  type ProcessorClient,
  type ProcessorConnection,
} from './processor-client.ts'

export interface CdkProcessorOptions extends ProcessorConnection {
  /** The chain the processor's node is on (the protocol does not say): invoices for another are refused. */
  network: 'bitcoin' | 'testnet' | 'signet' | 'regtest'
  /** How long connecting may take before the processor counts as unreachable. Default 10 s. */
  connectTimeoutMs?: number
}

const QUICK_MS = 15_000
/**
 * The processor answers a payment's status once the payment ends (LND's tracking waits): a wallet
 * asking about a melt gets PENDING after this long rather than waiting for the payee.
 */
const STATUS_MS = 5_000
/** A payment may look for routes for a while; the engine answers PENDING meanwhile. */
const PAYING_MS = 10 * 60_000

const byHash = (hash: string) => ({ type: 'PAYMENT_IDENTIFIER_TYPE_PAYMENT_HASH', hash })

/** msat of an amount the processor gives in msat or sat (what the mint sends it is msat). */
function msatOf(amount: AmountMessage | undefined): bigint {
  if (!amount) return 0n
  const value = BigInt(amount.value)
  if (amount.unit.toLowerCase() === 'msat') return value
  if (amount.unit.toLowerCase() === 'sat') return value * 1000n
  throw new Error(`the processor answered in ${amount.unit}, not msat or sat`)
}

const msat = (value: bigint): AmountMessage => ({ value: value.toString(), unit: 'msat' })

/** NUT-15 part or NUT-23 amountless amount, when the amount to send is not the invoice's own. */
function meltOptions(invoice: string, amountMsat: bigint): { melt_options?: unknown; options?: unknown } {
  const total = decodeBolt11(invoice).amountMsat
  if (total === undefined) {
    const options = { amountless: { amount_msat: amountMsat.toString() } }
    return { melt_options: options, options }
  }
  if (amountMsat < total) {
    const options = { mpp: { amount: amountMsat.toString() } }
    return { melt_options: options, options }
  }
  return {}
}

/** The quote request names them `options`, the payment `melt_options`. */
const optionsOnly = ({ options }: ReturnType<typeof meltOptions>) => (options ? { options } : {})
const meltOptionsOnly = ({ melt_options }: ReturnType<typeof meltOptions>) =>
  melt_options ? { melt_options } : {}

interface Bolt11Settings {
  mpp: boolean
  amountless: boolean
  invoice_description: boolean
}

function describe(error: unknown): string {
  const grpc = error as Partial<ServiceError>
  return grpc.details ?? (error instanceof Error ? error.message : String(error))
}

/** A processor's answer to a payment, as the engine's outcome. Only FAILED (or UNPAID, never paid) is definite. */
function outcomeOf(response: MakePaymentResponse, amountMsat: bigint | undefined): PaymentResult {
  switch (response.status) {
    case 'QUOTE_STATE_PAID': {
      const spent = msatOf(response.total_spent)
      const proof = response.payment_proof ?? ''
      return {
        status: 'PAID',
        // A processor without the preimage (its fake backend) answers none: zeros, which wallets do not check.
        preimage: /^[0-9a-f]{64}$/i.test(proof) ? proof.toLowerCase() : '0'.repeat(64),
        feeMsat: amountMsat !== undefined && spent > amountMsat ? spent - amountMsat : 0n,
      }
    }
    case 'QUOTE_STATE_FAILED':
    case 'QUOTE_STATE_UNPAID':
      return {
        status: 'FAILED',
        reason: `the processor says ${response.status.replace('QUOTE_STATE_', '').toLowerCase()}`,
      }
    case 'QUOTE_STATE_PENDING':
      return { status: 'PENDING' }
    default:
      return { status: 'UNKNOWN', reason: `the processor answered ${response.status}` }
  }
}

export class CdkProcessorBackend implements PaymentBackend {
  readonly name: string
  readonly capabilities: BackendCapabilities
  readonly network: CdkProcessorOptions['network']
  readonly #client: ProcessorClient

  constructor(
    client: ProcessorClient,
    address: string,
    network: CdkProcessorOptions['network'],
    bolt11: Bolt11Settings,
  ) {
    this.#client = client
    this.name = `cdk-processor:${address}`
    this.network = network
    this.capabilities = {
      methods: ['bolt11'],
      mpp: bolt11.mpp,
      amountless: bolt11.amountless,
      description: bolt11.invoice_description,
      replaysSettlements: false,
    }
  }

  async createInvoice(request: {
    amountMsat: bigint
    description?: string
    expirySeconds: number
  }): Promise<CreatedInvoice> {
    const unixExpiry = BigInt(Math.floor(Date.now() / 1000) + request.expirySeconds)
    let created: { request: string; request_identifier?: { hash?: string }; expiry?: string }
    try {
      created = await this.#client.call(
        'CreatePayment',
        {
          options: {
            bolt11: {
              amount: msat(request.amountMsat),
              unix_expiry: unixExpiry.toString(),
              ...(request.description ? { description: request.description } : {}),
            },
          },
        },
        QUICK_MS,
      )
    } catch (error) {
      throw new UnavailableError('lightning', `the payment processor made no invoice: ${describe(error)}`)
    }
    const paymentHash = created.request_identifier?.hash
    if (!paymentHash)
      throw new UnavailableError('lightning', 'the payment processor answered an invoice without its hash')
    return {
      request: created.request,
      paymentHash,
      expiry: created.expiry ? BigInt(created.expiry) : unixExpiry,
    }
  }

  async invoiceStatus(paymentHash: string): Promise<InvoiceStatus> {
    const response = await this.#client.call<{ payments: { payment_amount?: AmountMessage }[] }>(
      'CheckIncomingPayment',
      { request_identifier: byHash(paymentHash) },
      QUICK_MS,
    )
    const paid = response.payments.reduce((sum, p) => sum + msatOf(p.payment_amount), 0n)
    return paid > 0n ? { state: 'PAID', amountPaidMsat: paid } : { state: 'OPEN', amountPaidMsat: 0n }
  }

  async *settlements(signal: AbortSignal): AsyncIterable<Settlement> {
    const stream = this.#client.events(signal)
    try {
      for await (const event of stream) {
        const received = event.payment_received as
          | { payment_identifier?: { hash?: string }; payment_amount?: AmountMessage }
          | undefined
        const hash = received?.payment_identifier?.hash
        if (received && hash) yield { paymentHash: hash, amountPaidMsat: msatOf(received.payment_amount) }
      }
    } catch (error) {
      if (!signal.aborted) throw new Error(`the processor's payment stream broke: ${describe(error)}`)
    }
    if (!signal.aborted) throw new Error("the processor's payment stream ended")
  }

  async estimateFee(request: {
    invoice: string
    amountMsat: bigint
    quoteId: string
  }): Promise<PaymentQuote> {
    const response = await this.#client.call<{ fee?: AmountMessage }>(
      'GetPaymentQuote',
      {
        request: request.invoice,
        unit: 'msat',
        request_type: 'OUTGOING_PAYMENT_REQUEST_TYPE_BOLT11_INVOICE',
        quote_id: request.quoteId,
        ...optionsOnly(meltOptions(request.invoice, request.amountMsat)),
      },
      QUICK_MS,
    )
    return { feeEstimateMsat: msatOf(response.fee) }
  }

  async pay(request: OutgoingPayment): Promise<PaymentResult> {
    try {
      const response = await this.#client.call<MakePaymentResponse>(
        'MakePayment',
        {
          unit: 'msat',
          payment_options: {
            bolt11: {
              bolt11: request.invoice,
              max_fee_amount: msat(request.maxFeeMsat),
              quote_id: request.quoteId,
              ...meltOptionsOnly(meltOptions(request.invoice, request.amountMsat)),
            },
          },
        },
        PAYING_MS,
      )
      return outcomeOf(response, request.amountMsat)
    } catch (error) {
      // Refused before anything was sent: the processor checked the invoice and found it unpayable.
      if ((error as ServiceError).code === grpcStatus.INVALID_ARGUMENT)
        return { status: 'FAILED', reason: describe(error) }
      // "already paid", "pending", a dropped call: what happened is the processor's to say.
      return this.paymentStatus(request.paymentHash, request.amountMsat)
    }
  }

  async paymentStatus(paymentHash: string, amountMsat: bigint): Promise<PaymentResult> {
    try {
      const response = await this.#client.call<MakePaymentResponse>(
        'CheckOutgoingPayment',
        { request_identifier: byHash(paymentHash) },
        STATUS_MS,
      )
      return outcomeOf(response, amountMsat)
    } catch (error) {
      return { status: 'UNKNOWN', reason: describe(error) }
    }
  }

  /** The protocol has no balance: null, after the processor answered (so /health learns it is up). */
  async balance(): Promise<bigint | null> {
    await this.#client.call('GetSettings', {}, QUICK_MS)
    return null
  }
}

/** Connects, and checks before the mint takes a request that the processor answers and serves bolt11. */
export async function connectCdkProcessor(options: CdkProcessorOptions): Promise<CdkProcessorBackend> {
  const client = await openProcessorClient(options)
  let settings: { bolt11?: Bolt11Settings | null }
  try {
    settings = await client.call('GetSettings', {}, options.connectTimeoutMs ?? 10_000)
  } catch (error) {
    client.close()
    throw new Error(problemOf(options.address, error))
  }
  if (!settings.bolt11) {
    client.close()
    throw new Error(`the payment processor at ${options.address} does not serve bolt11`)
  }
  return new CdkProcessorBackend(client, options.address, options.network, settings.bolt11)
}

function problemOf(address: string, error: unknown): string {
  const { code } = error as Partial<ServiceError>
  const detail = describe(error)
  if (code === grpcStatus.FAILED_PRECONDITION)
    return `the payment processor at ${address} speaks another protocol version (${detail})`
  if (/certificate|handshake|SSL|TLS|self.signed|unable to verify/i.test(detail))
    return `the TLS handshake with the payment processor at ${address} failed (${detail}): check tls_dir's ca.pem, client.pem and client.key`
  return `cannot reach the payment processor at ${address} (${detail}): check the address and that it is running`
}
