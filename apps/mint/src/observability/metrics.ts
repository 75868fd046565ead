/**
 * Prometheus metrics, served at /metrics on the admin listener:
 *
 * - cashu_mint_http_requests_total / _http_request_duration_seconds: per listener, method, route
 *   pattern (never the raw path, which carries quote ids) and status
 * - cashu_mint_operations_total / cashu_mint_operation_amount_total: swaps, mints, melts and
 *   redemptions that succeeded, and the amounts they moved, per unit
 * - cashu_mint_db_transaction_duration_seconds: how long the store's transactions take
 * - cashu_mint_backend_payments_total / _backend_payment_msat_total: invoices paid to the mint
 *   (in) and payments it made (out), per payment backend
 * - at scrape time, from the database and the backends: outstanding ecash per unit (from the
 *   running totals every write keeps, so a scrape costs the same at any size), pending melts, and
 *   each backend's balance (cashu_mint_backend_balance_msat{backend}).
 *
 * With several workers a scrape answers for all of them (cluster-metrics.ts): counters and
 * histograms are summed; the gauges read shared state, so the first worker's value stands.
 */
import cluster from 'node:cluster'
import type { Mint, MintEvent, MintStore, PaymentBackend } from '@cashu-mint/core/mint'
import type { Reports } from '@cashu-mint/storage'
import type { MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import { clusterMetricsOf } from './cluster-metrics.ts'

export interface Metrics {
  registry: Registry
  /** The exposition text: this process's, or every worker's when running as one. */
  text(): Promise<string>
  /** Request counts and latency for one listener. */
  http(listener: 'public' | 'admin'): MiddlewareHandler
  /** The same engine, with its operations counted. */
  instrument(mint: Mint): Mint
  /** The same store, with its transactions timed. */
  timeStore<S extends MintStore>(store: S): S
}

/** Request counts and latency per listener, labelled by route pattern. */
function httpMetrics(registry: Registry): Metrics['http'] {
  const requests = new Counter({
    name: 'cashu_mint_http_requests_total',
    help: 'HTTP requests answered',
    labelNames: ['listener', 'method', 'route', 'status'],
    registers: [registry],
  })
  const latency = new Histogram({
    name: 'cashu_mint_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['listener', 'method', 'route'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
    registers: [registry],
  })
  return (listener) => async (c, next) => {
    const end = latency.startTimer()
    await next()
    // The last matched route is the handler's pattern; '*' means nothing but middleware matched.
    const route = routePath(c, -1)
    const labels = { listener, method: c.req.method, route: route === '*' ? 'unmatched' : route }
    end(labels)
    requests.inc({ ...labels, status: String(c.res.status) })
  }
}

/** Successful operations and the amounts they moved, per unit, counted around the engine. */
function operationMetrics(registry: Registry): Metrics['instrument'] {
  const operations = new Counter({
    name: 'cashu_mint_operations_total',
    help: 'Operations that succeeded',
    labelNames: ['operation', 'unit'],
    registers: [registry],
  })
  const amounts = new Counter({
    name: 'cashu_mint_operation_amount_total',
    help: 'Amount moved by successful operations, in the unit',
    labelNames: ['operation', 'unit'],
    registers: [registry],
  })
  const count = (operation: string, unit: string, amount: bigint) => {
    operations.inc({ operation, unit })
    amounts.inc({ operation, unit }, Number(amount))
  }
  const sum = (items: readonly { amount: bigint }[]) => items.reduce((a, i) => a + i.amount, 0n)
  return (mint) => {
    const unitOf = (keysetId: string | undefined) =>
      (keysetId === undefined ? undefined : mint.keysetOf(keysetId)?.unit) ?? 'unknown'
    /** An operation that signs outputs: its amount is what it signed, in the outputs' unit. */
    const signing =
      <
        R extends { outputs: readonly { id: string }[] },
        S extends { signatures: readonly { amount: bigint }[] },
      >(
        operation: string,
        run: (request: R) => Promise<S>,
      ) =>
      async (request: R) => {
        const result = await run(request)
        count(operation, unitOf(request.outputs[0]?.id), sum(result.signatures))
        return result
      }
    return {
      ...mint,
      swap: signing('swap', mint.swap),
      mint: signing('mint', mint.mint),
      mintBatch: signing('mint', mint.mintBatch),
      async melt(request) {
        const result = await mint.melt(request)
        if (result.state === 'PAID') count('melt', result.unit, result.amount)
        return result
      },
      async redeem(request) {
        const result = await mint.redeem(request)
        if (!result.replayed) count('redeem', result.receipt.unit, result.receipt.amount)
        return result
      },
      async refund(request) {
        const result = await mint.refund(request)
        if (!result.replayed) count('refund', result.refund.unit, result.refund.amount)
        return result
      },
    }
  }
}

/** The figures read at scrape time from the database and the node. */
/** A payment backend as the metrics name it: the operator's label. */
export interface LabelledBackend {
  label: string
  backend: PaymentBackend
}

/** Payments in and out per backend, counted from the engine's events (a quote moving to PAID). */
function paymentMetrics(
  registry: Registry,
  backends: readonly LabelledBackend[],
): (event: MintEvent) => void {
  const payments = new Counter({
    name: 'cashu_mint_backend_payments_total',
    help: 'Payments through each backend: in (mint quotes paid) and out (melts paid)',
    labelNames: ['backend', 'direction'],
    registers: [registry],
  })
  const amounts = new Counter({
    name: 'cashu_mint_backend_payment_msat_total',
    help: 'msat through each backend, in and out (out without routing fees)',
    labelNames: ['backend', 'direction'],
    registers: [registry],
  })
  const labelOf = new Map(backends.map((b) => [b.backend.name, b.label]))
  const count = (backend: string | null, direction: 'in' | 'out', msat: bigint) => {
    const labels = { backend: backend === null ? 'internal' : (labelOf.get(backend) ?? backend), direction }
    payments.inc(labels)
    amounts.inc(labels, Number(msat))
  }
  return (event) => {
    if (event.kind === 'mint_quote' && event.quote.state === 'PAID' && event.quote.amountMsat !== null)
      count(event.quote.backend, 'in', event.quote.amountMsat)
    if (event.kind === 'melt_quote' && event.quote.state === 'PAID')
      count(event.quote.backend, 'out', event.quote.amountMsat)
  }
}

function stateGauges(
  registry: Registry,
  sources: { reports: Reports; backends: readonly LabelledBackend[] },
): void {
  new Gauge({
    name: 'cashu_mint_outstanding_ecash',
    help: 'Ecash signed minus ecash spent (liabilities), in the unit',
    labelNames: ['unit'],
    registers: [registry],
    aggregator: 'first',
    async collect() {
      const totals = new Map<string, bigint>()
      // The running totals (ledger-totals.ts): a few rows, read at every scrape.
      for (const k of await sources.reports.balances())
        totals.set(k.unit, (totals.get(k.unit) ?? 0n) + k.outstanding)
      for (const [unit, total] of totals) this.set({ unit }, Number(total))
    },
  })
  new Gauge({
    name: 'cashu_mint_pending_melts',
    help: 'Melts waiting for the outcome of their Lightning payment',
    registers: [registry],
    aggregator: 'first',
    async collect() {
      this.set(await sources.reports.pendingMelts())
    },
  })
  new Gauge({
    name: 'cashu_mint_backend_balance_msat',
    help: 'What each payment backend can spend (a node: over its channels)',
    labelNames: ['backend'],
    registers: [registry],
    aggregator: 'first',
    async collect() {
      // A backend that stopped answering has no figure rather than its last one.
      this.reset()
      await Promise.all(
        sources.backends.map(async ({ label, backend }) => {
          const balance = await backend.balance().catch(() => null)
          if (balance !== null) this.set({ backend: label }, Number(balance))
        }),
      )
    },
  })
}

/** How long the store's transactions take: the same store, its `transaction` timed. */
function transactionTiming(registry: Registry): Metrics['timeStore'] {
  const transactions = new Histogram({
    name: 'cashu_mint_db_transaction_duration_seconds',
    help: 'Store transaction duration',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  })
  return (store) => {
    const transaction = store.transaction.bind(store)
    return Object.assign(Object.create(store) as typeof store, store, {
      transaction: async <T>(work: Parameters<typeof transaction<T>>[0]) => {
        const end = transactions.startTimer()
        try {
          return await transaction(work)
        } finally {
          end()
        }
      },
    })
  }
}

export function createMetrics(sources: { reports: Reports; backends: readonly LabelledBackend[] }): Metrics {
  const registry = new Registry()
  const http = httpMetrics(registry)
  const countOperations = operationMetrics(registry)
  const countPayment = paymentMetrics(registry, sources.backends)
  const instrument: Metrics['instrument'] = (mint) => {
    mint.subscribe(countPayment)
    return countOperations(mint)
  }
  const timeStore = transactionTiming(registry)
  stateGauges(registry, sources)
  return {
    registry,
    text: cluster.isWorker ? clusterMetricsOf(registry) : () => registry.metrics(),
    http,
    instrument,
    timeStore,
  }
}
