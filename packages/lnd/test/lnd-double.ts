/**
 * An LND stand-in that speaks LND's real gRPC API (services loaded from the .proto files the
 * lightning package ships) over TLS, and checks a macaroon on every call the way LND does: the
 * signature against its root key, then the permission the method needs. The adapter talks to it
 * unchanged. Tests script what LND would do: settle invoices, break streams, keep payments in
 * flight, succeed or fail them late.
 *
 * It implements the calls the mint makes, with LND's own error texts where the lightning package
 * reads them ("unknown service lnrpc.Lightning", "payment isn't initiated", "permission denied").
 */
import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { decodeBolt11 } from '@cashu-mint/core/lightning'
import { encodeBolt11 } from '@cashu-mint/core/testing'
import * as grpc from '@grpc/grpc-js'
import { loadSync } from '@grpc/proto-loader'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { importMacaroon, newMacaroon } from 'macaroon'
import { selfSignedCertificate } from './self-signed-certificate.ts'

const protos = join(import.meta.dirname, '../node_modules/lightning/grpc/protos')
const loaderOptions = { defaults: true, enums: String, keepCase: true, longs: String, oneofs: true }

type Permission = `${'info' | 'invoices' | 'offchain' | 'onchain'}:${'read' | 'write'}`

interface Invoice {
  hash: Buffer
  preimage: Buffer
  paymentAddr: Buffer
  request: string
  memo: string
  valueMsat: bigint
  createdAt: number
  expiry: number
  state: 'OPEN' | 'SETTLED' | 'CANCELED'
  addIndex: number
  settleIndex: number
  paidMsat: bigint
}

type PaymentStatus = 'IN_FLIGHT' | 'SUCCEEDED' | 'FAILED'

interface Payment {
  hash: string
  request: string
  destination: string
  valueMsat: bigint
  feeMsat: bigint
  preimage: string
  status: PaymentStatus
  failureReason: string
  createdNs: string
  index: number
}

/** What the node does with the next outgoing payment. */
export type PaymentScript =
  | { kind: 'succeed'; feeMsat: bigint }
  | { kind: 'fail'; reason: 'FAILURE_REASON_NO_ROUTE' | 'FAILURE_REASON_INSUFFICIENT_BALANCE' }
  /** LND takes the payment and reports it in flight, then the stream breaks. */
  | { kind: 'drop-in-flight' }
  /** The stream breaks before LND has registered anything. */
  | { kind: 'refuse' }

type Stream = grpc.ServerWritableStream<Record<string, unknown>, unknown>

interface RpcRoute {
  total_amt_msat: string
  hops: {
    amt_to_forward_msat: string
    pub_key: string
    mpp_record?: { payment_addr: Buffer; total_amt_msat: string }
  }[]
}

const status = (code: grpc.status, details: string) => Object.assign(new Error(details), { code, details })
const nowNs = () => (BigInt(Date.now()) * 1_000_000n).toString()

export class LndDouble {
  readonly socket: string
  readonly certPem: string
  readonly publicKey: string
  /** Set to answer as a node whose wallet is still locked. */
  locked = false
  /** The next outgoing payments follow this script. */
  paymentScript: PaymentScript = { kind: 'succeed', feeMsat: 1000n }
  /** Set to make invoice lookups fail, so only the settlement stream can report payments. */
  failLookups = false
  /** Set to have every new invoice paid a moment after it is created. */
  autoSettle = false
  /** Set to have QueryRoutes find no route. */
  noRoute = false
  /** The MPP parts sent over routes (SendToRouteV2): amount, and the MPP record's total and address. */
  readonly routedParts: {
    paymentHash: string
    amountMsat: bigint
    totalMsat: bigint
    paymentAddr: string
  }[] = []
  /** settle_index of each SubscribeInvoices call, in order. */
  readonly invoiceSubscriptions: number[] = []
  readonly #server: grpc.Server
  readonly #rootKey = randomBytes(32)
  readonly #nodeKey = randomBytes(32)
  readonly #network: 'bitcoin' | 'regtest'
  readonly #invoices = new Map<string, Invoice>()
  readonly #payments = new Map<string, Payment>()
  readonly #invoiceStreams = new Set<Stream>()
  readonly #paymentStreams = new Map<string, Set<Stream>>()
  #addIndex = 0
  #settleIndex = 0

  private constructor(server: grpc.Server, socket: string, certPem: string, network: 'bitcoin' | 'regtest') {
    this.#server = server
    this.socket = socket
    this.certPem = certPem
    this.#network = network
    this.publicKey = Buffer.from(secp256k1.getPublicKey(this.#nodeKey, true)).toString('hex')
  }

  static async start(network: 'bitcoin' | 'regtest' = 'bitcoin'): Promise<LndDouble> {
    const { cert, key } = selfSignedCertificate('lnd double')
    const server = new grpc.Server()
    const credentials = grpc.ServerCredentials.createSsl(
      null,
      [{ private_key: Buffer.from(key), cert_chain: Buffer.from(cert) }],
      false,
    )
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', credentials, (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    )
    const double = new LndDouble(server, `127.0.0.1:${port}`, cert, network)
    double.#register()
    return double
  }

  /** A macaroon signed by this node's root key, granting exactly `permissions`. */
  macaroon(permissions: readonly string[], rootKey: Uint8Array = this.#rootKey): string {
    const identifier = JSON.stringify({ permissions })
    const minted = newMacaroon({ version: 2, rootKey, identifier, location: 'lnd' })
    return Buffer.from(minted.exportBinary()).toString('hex')
  }

  /** As if a payer paid the invoice: it settles and subscribers hear of it. */
  settleInvoice(paymentHash: string): void {
    const invoice = this.#invoices.get(paymentHash)
    if (invoice?.state !== 'OPEN') throw new Error(`no open invoice ${paymentHash}`)
    invoice.state = 'SETTLED'
    invoice.paidMsat = invoice.valueMsat
    invoice.settleIndex = ++this.#settleIndex
    for (const stream of this.#invoiceStreams) stream.write(this.#invoiceMessage(invoice))
  }

  /** Ends every invoice subscription with a transport error. */
  dropInvoiceStreams(): void {
    for (const stream of this.#invoiceStreams)
      stream.emit('error', status(grpc.status.UNAVAILABLE, 'stream reset'))
    this.#invoiceStreams.clear()
  }

  /** Finishes a payment that was left in flight, telling whoever follows it. */
  resolvePayment(paymentHash: string, outcome: PaymentScript & { kind: 'succeed' | 'fail' }): void {
    const payment = this.#payments.get(paymentHash)
    if (payment?.status !== 'IN_FLIGHT') throw new Error(`no payment in flight for ${paymentHash}`)
    this.#finish(payment, outcome)
  }

  paymentState(paymentHash: string): PaymentStatus | undefined {
    return this.#payments.get(paymentHash)?.status
  }

  stop(): void {
    this.#server.forceShutdown()
  }

  #finish(payment: Payment, outcome: PaymentScript & { kind: 'succeed' | 'fail' }): void {
    if (outcome.kind === 'succeed') {
      payment.status = 'SUCCEEDED'
      payment.feeMsat = outcome.feeMsat
      payment.preimage = randomBytes(32).toString('hex')
    } else {
      payment.status = 'FAILED'
      payment.failureReason = outcome.reason
    }
    const streams = this.#paymentStreams.get(payment.hash) ?? new Set()
    for (const stream of streams) {
      stream.write(this.#paymentMessage(payment))
      stream.end()
    }
    this.#paymentStreams.delete(payment.hash)
  }

  /** Checks the macaroon as LND does: one macaroon, our signature, the method's permission. */
  #authorize(metadata: grpc.Metadata, permission: Permission): Error | undefined {
    const values = metadata.get('macaroon')
    if (values.length !== 1) return status(grpc.status.UNKNOWN, `expected 1 macaroon, got ${values.length}`)
    try {
      const macaroon = importMacaroon(Buffer.from(String(values[0]), 'hex'))
      macaroon.verify(this.#rootKey, () => 'caveats are not supported')
      const { permissions } = JSON.parse(Buffer.from(macaroon.identifier).toString()) as {
        permissions: string[]
      }
      return permissions.includes(permission) ? undefined : status(grpc.status.UNKNOWN, 'permission denied')
    } catch {
      return status(grpc.status.UNKNOWN, 'verification failed: signature mismatch after caveat verification')
    }
  }

  #unary<Request>(
    permission: Permission,
    handle: (request: Request) => unknown,
  ): grpc.handleUnaryCall<Request, unknown> {
    return (call, callback) => {
      const denied = this.#authorize(call.metadata, permission)
      if (denied) return callback(denied)
      try {
        callback(null, handle(call.request))
      } catch (error) {
        callback(error as grpc.ServiceError)
      }
    }
  }

  #unaryAsync<Request>(
    permission: Permission,
    handle: (request: Request) => Promise<unknown>,
  ): grpc.handleUnaryCall<Request, unknown> {
    return (call, callback) => {
      const denied = this.#authorize(call.metadata, permission)
      if (denied) return callback(denied)
      handle(call.request).then(
        (response) => callback(null, response),
        (error: grpc.ServiceError) => callback(error),
      )
    }
  }

  /** A one-hop route over our channel to `destination`. */
  #route(destination: string, amountMsat: bigint, feeMsat: bigint) {
    return {
      total_time_lock: 800_100,
      total_fees_msat: String(feeMsat),
      total_amt_msat: String(amountMsat + feeMsat),
      hops: [
        {
          chan_id: '880000000000000001',
          amt_to_forward_msat: String(amountMsat),
          fee_msat: String(feeMsat),
          expiry: 800_100,
          pub_key: destination,
          tlv_payload: true,
        },
      ],
    }
  }

  /** A payment LND has registered and holds in flight. */
  #startPayment(hash: string, request: string, destination: string, valueMsat: bigint): Payment {
    const payment: Payment = {
      hash,
      request,
      destination,
      valueMsat,
      feeMsat: 0n,
      preimage: '',
      status: 'IN_FLIGHT',
      failureReason: 'FAILURE_REASON_NONE',
      createdNs: nowNs(),
      index: this.#payments.size + 1,
    }
    this.#payments.set(hash, payment)
    return payment
  }

  /** One MPP part: recorded as a payment attempt and finished by the payment script. */
  async #sendToRoute(request: { payment_hash: Buffer; route: RpcRoute }) {
    const hash = request.payment_hash.toString('hex')
    const last = request.route.hops.at(-1)
    const amountMsat = BigInt(last?.amt_to_forward_msat ?? '0')
    this.routedParts.push({
      paymentHash: hash,
      amountMsat,
      totalMsat: BigInt(last?.mpp_record?.total_amt_msat ?? '0'),
      paymentAddr: last?.mpp_record?.payment_addr.toString('hex') ?? '',
    })
    const payment = this.#startPayment(hash, '', last?.pub_key ?? '', amountMsat)
    const script = this.paymentScript
    await new Promise((resolve) => setTimeout(resolve, 20))
    this.#finish(
      payment,
      script.kind === 'succeed' ? script : { kind: 'fail', reason: 'FAILURE_REASON_NO_ROUTE' },
    )
    const attempt = {
      attempt_id: String(payment.index),
      status: payment.status,
      route: request.route,
      attempt_time_ns: payment.createdNs,
      resolve_time_ns: nowNs(),
    }
    return payment.status === 'SUCCEEDED'
      ? { ...attempt, preimage: Buffer.from(payment.preimage, 'hex') }
      : { ...attempt, failure: { code: 'TEMPORARY_CHANNEL_FAILURE', failure_source_index: 1 } }
  }

  #streaming(
    permission: Permission,
    handle: (stream: Stream) => void,
  ): grpc.handleServerStreamingCall<Record<string, unknown>, unknown> {
    return (call) => {
      const denied = this.#authorize(call.metadata, permission)
      if (denied) return void call.emit('error', denied)
      handle(call)
    }
  }

  #register(): void {
    const service = (file: string, pkg: string, name: string): grpc.ServiceDefinition => {
      const loaded = grpc.loadPackageDefinition(loadSync(join(protos, file), loaderOptions))
      return (loaded[pkg] as Record<string, { service: grpc.ServiceDefinition }>)[name]
        ?.service as grpc.ServiceDefinition
    }

    const locked =
      <T>(handler: grpc.handleUnaryCall<T, unknown>): grpc.handleUnaryCall<T, unknown> =>
      (call, callback) => {
        if (this.locked) return callback(status(grpc.status.UNIMPLEMENTED, 'unknown service lnrpc.Lightning'))
        handler(call, callback)
      }

    this.#server.addService(service('lightning.proto', 'lnrpc', 'Lightning'), {
      GetInfo: locked(this.#unary('info:read', () => this.#info())),
      AddInvoice: this.#unary(
        'invoices:write',
        (request: { value_msat: string; memo: string; expiry: string }) => this.#addInvoice(request),
      ),
      LookupInvoice: this.#unary('invoices:read', (request: { r_hash: Buffer }) => {
        if (this.failLookups) throw status(grpc.status.UNAVAILABLE, 'lookups are failing')
        const invoice = this.#invoices.get(request.r_hash.toString('hex'))
        if (!invoice) throw status(grpc.status.NOT_FOUND, 'unable to locate invoice')
        return this.#invoiceMessage(invoice)
      }),
      SubscribeInvoices: this.#streaming('invoices:read', (stream) => {
        const after = Number(stream.request.settle_index ?? 0)
        this.invoiceSubscriptions.push(after)
        if (after > 0) {
          const missed = [...this.#invoices.values()]
            .filter((invoice) => invoice.settleIndex > after)
            .sort((x, y) => x.settleIndex - y.settleIndex)
          for (const invoice of missed) stream.write(this.#invoiceMessage(invoice))
        }
        this.#invoiceStreams.add(stream)
        stream.on('cancelled', () => this.#invoiceStreams.delete(stream))
      }),
      DecodePayReq: this.#unary('offchain:read', (request: { pay_req: string }) => {
        const invoice = decodeBolt11(request.pay_req)
        return {
          destination: invoice.payee,
          payment_hash: invoice.paymentHash,
          num_satoshis: String((invoice.amountMsat ?? 0n) / 1000n),
          num_msat: String(invoice.amountMsat ?? 0n),
          timestamp: String(invoice.timestamp),
          expiry: String(invoice.expirySeconds),
          description: invoice.description ?? '',
          description_hash: '',
          fallback_addr: '',
          cltv_expiry: String(invoice.minFinalCltvExpiry),
          route_hints: [],
          payment_addr: Buffer.from(invoice.paymentSecret ?? '', 'hex'),
          features: {},
        }
      }),
      QueryRoutes: this.#unary('info:read', (request: { pub_key: string; amt_msat: string }) => {
        if (this.noRoute) throw status(grpc.status.UNKNOWN, 'unable to find a path to destination')
        return { routes: [this.#route(request.pub_key, BigInt(request.amt_msat), 0n)], success_prob: 1 }
      }),
      DeletePayment: this.#unary('offchain:write', (request: { payment_hash: Buffer }) => {
        if (!this.#payments.delete(request.payment_hash.toString('hex')))
          throw status(grpc.status.UNKNOWN, 'payment not found')
        return {}
      }),
    })
    this.#server.addService(service('invoices.proto', 'invoicesrpc', 'Invoices'), {
      CancelInvoice: this.#unary('invoices:write', (request: { payment_hash: Buffer }) => {
        const invoice = this.#invoices.get(request.payment_hash.toString('hex'))
        if (!invoice) throw status(grpc.status.UNKNOWN, 'unable to locate invoice')
        if (invoice.state === 'OPEN') invoice.state = 'CANCELED'
        return {}
      }),
    })
    this.#server.addService(service('router.proto', 'routerrpc', 'Router'), {
      SendPaymentV2: this.#streaming('offchain:write', (stream) => this.#sendPayment(stream)),
      SendToRouteV2: this.#unaryAsync(
        'offchain:write',
        (request: { payment_hash: Buffer; route: RpcRoute }) => this.#sendToRoute(request),
      ),
      TrackPaymentV2: this.#streaming('offchain:read', (stream) => {
        const hash = (stream.request.payment_hash as Buffer).toString('hex')
        const payment = this.#payments.get(hash)
        if (!payment) return void stream.emit('error', status(grpc.status.UNKNOWN, "payment isn't initiated"))
        this.#follow(stream, payment)
      }),
    })
  }

  #follow(stream: Stream, payment: Payment): void {
    stream.write(this.#paymentMessage(payment))
    if (payment.status !== 'IN_FLIGHT') return void stream.end()
    const streams = this.#paymentStreams.get(payment.hash) ?? new Set()
    streams.add(stream)
    this.#paymentStreams.set(payment.hash, streams)
    stream.on('cancelled', () => streams.delete(stream))
  }

  #sendPayment(stream: Stream): void {
    const request = stream.request as { payment_request: string; fee_limit_msat: string; amt_msat: string }
    const script = this.paymentScript
    if (script.kind === 'refuse')
      return void stream.emit('error', status(grpc.status.UNAVAILABLE, 'connection reset'))
    const invoice = decodeBolt11(request.payment_request)
    if (this.#payments.get(invoice.paymentHash)?.status === 'SUCCEEDED')
      return void stream.emit('error', status(grpc.status.ALREADY_EXISTS, 'invoice is already paid'))
    const payment = this.#startPayment(
      invoice.paymentHash,
      request.payment_request,
      invoice.payee,
      invoice.amountMsat ?? BigInt(request.amt_msat),
    )
    if (script.kind === 'drop-in-flight') {
      stream.write(this.#paymentMessage(payment))
      return void stream.emit('error', status(grpc.status.UNAVAILABLE, 'stream reset'))
    }
    this.#follow(stream, payment)
    const overLimit = script.kind === 'succeed' && script.feeMsat > BigInt(request.fee_limit_msat)
    setTimeout(
      () => this.#finish(payment, overLimit ? { kind: 'fail', reason: 'FAILURE_REASON_NO_ROUTE' } : script),
      20,
    )
  }

  #info() {
    return {
      alias: 'lnd double',
      best_header_timestamp: String(Math.floor(Date.now() / 1000)),
      block_hash: '00'.repeat(32),
      block_height: 800_000,
      chains: [{ chain: 'bitcoin', network: this.#network === 'bitcoin' ? 'mainnet' : 'regtest' }],
      color: '#3399ff',
      features: {},
      identity_pubkey: this.publicKey,
      num_active_channels: 1,
      num_inactive_channels: 0,
      num_peers: 1,
      num_pending_channels: 0,
      synced_to_chain: true,
      synced_to_graph: true,
      uris: [],
      version: '0.20.1-beta (double)',
      commit_hash: '',
    }
  }

  #addInvoice(request: { value_msat: string; memo: string; expiry: string }) {
    const preimage = randomBytes(32)
    const hash = createHash('sha256').update(preimage).digest()
    const paymentAddr = randomBytes(32)
    const createdAt = Math.floor(Date.now() / 1000)
    const expiry = Number(request.expiry) || 86_400
    const invoice: Invoice = {
      hash,
      preimage,
      paymentAddr,
      memo: request.memo,
      valueMsat: BigInt(request.value_msat),
      createdAt,
      expiry,
      state: 'OPEN',
      addIndex: ++this.#addIndex,
      settleIndex: 0,
      paidMsat: 0n,
      request: encodeBolt11({
        network: this.#network,
        amountMsat: BigInt(request.value_msat),
        timestamp: BigInt(createdAt),
        expirySeconds: BigInt(expiry),
        paymentHash: hash.toString('hex'),
        paymentSecret: paymentAddr.toString('hex'),
        description: request.memo,
        nodeKey: this.#nodeKey,
      }),
    }
    this.#invoices.set(hash.toString('hex'), invoice)
    for (const stream of this.#invoiceStreams) stream.write(this.#invoiceMessage(invoice))
    if (this.autoSettle) setTimeout(() => this.settleInvoice(hash.toString('hex')), 10)
    return {
      r_hash: hash,
      payment_request: invoice.request,
      add_index: String(invoice.addIndex),
      payment_addr: paymentAddr,
    }
  }

  #invoiceMessage(invoice: Invoice) {
    return {
      memo: invoice.memo,
      r_preimage: invoice.preimage,
      r_hash: invoice.hash,
      value: String(invoice.valueMsat / 1000n),
      value_msat: String(invoice.valueMsat),
      settled: invoice.state === 'SETTLED',
      creation_date: String(invoice.createdAt),
      settle_date: invoice.state === 'SETTLED' ? String(Math.floor(Date.now() / 1000)) : '0',
      payment_request: invoice.request,
      description_hash: Buffer.alloc(0),
      expiry: String(invoice.expiry),
      cltv_expiry: '80',
      add_index: String(invoice.addIndex),
      settle_index: String(invoice.settleIndex),
      amt_paid_sat: String(invoice.paidMsat / 1000n),
      amt_paid_msat: String(invoice.paidMsat),
      state: invoice.state,
      htlcs: [],
      features: {},
      payment_addr: invoice.paymentAddr,
    }
  }

  #paymentMessage(payment: Payment) {
    const resolved = payment.status === 'IN_FLIGHT' ? '0' : nowNs()
    const hop = {
      chan_id: '880000000000000001',
      amt_to_forward_msat: String(payment.valueMsat),
      fee_msat: String(payment.feeMsat),
      expiry: 800_080,
      pub_key: payment.destination,
      tlv_payload: true,
    }
    const attempt = {
      attempt_id: String(payment.index),
      status: payment.status === 'FAILED' ? 'FAILED' : payment.status,
      route: {
        total_time_lock: 800_080,
        total_fees_msat: String(payment.feeMsat),
        total_amt_msat: String(payment.valueMsat + payment.feeMsat),
        hops: [hop],
      },
      attempt_time_ns: payment.createdNs,
      resolve_time_ns: resolved,
      preimage: payment.preimage ? Buffer.from(payment.preimage, 'hex') : Buffer.alloc(0),
    }
    return {
      payment_hash: payment.hash,
      payment_preimage: payment.preimage,
      value_sat: String(payment.valueMsat / 1000n),
      value_msat: String(payment.valueMsat),
      payment_request: payment.request,
      status: payment.status,
      fee_sat: String(payment.feeMsat / 1000n),
      fee_msat: String(payment.feeMsat),
      creation_time_ns: payment.createdNs,
      htlcs: payment.status === 'FAILED' ? [] : [attempt],
      payment_index: String(payment.index),
      failure_reason: payment.failureReason,
    }
  }
}
