/**
 * Which payment backend serves a payment method for a unit. A mint may run several backends at
 * once (LND for `sat`, a processor for `usd`); each (method, unit) pair has exactly one, and a
 * configuration that gives one pair to two backends is refused. A quote records the backend that
 * made it, so its payment is checked and paid there even after the configuration changed.
 */
import { ErrorCode, MintError } from '../../protocol/errors.ts'
import type { PaymentBackend } from '../ports/payment-backend.ts'

export interface BackendRoute {
  method: string
  unit: string
  backend: PaymentBackend
}

export interface PaymentRouter {
  /** The backend for a method and unit, or the NUT error a wallet asking for it gets. */
  for(method: string, unit: string): PaymentBackend
  /** A quote's backend: the one it names if it is still configured, else the one that serves its method and unit now. */
  ofQuote(quote: { backend: string | null; method: string; unit: string }): PaymentBackend
  /** Every backend once. */
  backends(): PaymentBackend[]
  routes(): readonly BackendRoute[]
  /** The methods any backend serves. */
  methods(): string[]
}

export function createPaymentRouter(routes: readonly BackendRoute[]): PaymentRouter {
  const byPair = new Map<string, BackendRoute>()
  for (const route of routes) {
    const key = `${route.method} ${route.unit}`
    const taken = byPair.get(key)
    if (taken && taken.backend !== route.backend)
      throw new Error(
        `two backends serve ${route.method} for ${route.unit}: ${taken.backend.name} and ${route.backend.name}`,
      )
    if (!route.backend.capabilities.methods.includes(route.method))
      throw new Error(`backend ${route.backend.name} does not serve the payment method ${route.method}`)
    byPair.set(key, route)
  }
  const backends = [...new Set(routes.map((r) => r.backend))]
  const byName = new Map(backends.map((b) => [b.name, b]))
  const methods = [...new Set(routes.map((r) => r.method))]
  const find = (method: string, unit: string): PaymentBackend => {
    const route = byPair.get(`${method} ${unit}`)
    if (route) return route.backend
    if (!methods.includes(method))
      throw new MintError(ErrorCode.MALFORMED_REQUEST, `method: payment method ${method} is not supported`)
    throw new MintError(ErrorCode.UNIT_UNSUPPORTED, `unit ${unit} is not supported for ${method}`)
  }
  return {
    for: find,
    ofQuote: (quote) =>
      (quote.backend ? byName.get(quote.backend) : undefined) ?? find(quote.method, quote.unit),
    backends: () => backends,
    routes: () => routes,
    methods: () => methods,
  }
}
