/**
 * The payment backends as the operator sees them, and solvency per backend: what it can spend against what the mint would owe through it if
 * every holder cashed out, the ecash outstanding in the units it serves, in msat (sat and msat
 * natively, other units at their current Lightning price). A unit without a price now is listed
 * apart instead of counted as nothing.
 */
import type { Mint, PaymentBackend, Rate, RateSource } from '@cashu-mint/core/mint'

export interface BackendSolvency {
  name: string
  units: string[]
  /** null: the backend cannot say what it holds. */
  balance_msat: bigint | null
  liabilities_msat: bigint
  solvent: boolean | null
  /** Units it serves whose price could not be had: not in the liabilities. */
  unpriced_units: string[]
}

const NATIVE: Record<string, Rate> = { sat: { msat: 1000n, per: 1n }, msat: { msat: 1n, per: 1n } }

async function priceOf(unit: string, rates: RateSource | undefined): Promise<Rate | undefined> {
  return Object.hasOwn(NATIVE, unit) ? NATIVE[unit] : rates?.rate(unit).catch(() => undefined)
}

/** Each backend: what it serves and can do, whether it answers now, and what it holds. */
export async function backendReport(
  mint: Mint,
  backends: readonly { label: string; kind: string; backend: PaymentBackend }[],
) {
  const routes = mint.paymentRoutes()
  return Promise.all(
    backends.map(async ({ label, kind, backend }) => {
      const started = performance.now()
      const balance = await backend.balance().then(
        (msat) => ({ ok: true as const, balance_msat: msat }),
        (error: Error) => ({ ok: false as const, error: error.message }),
      )
      return {
        name: label,
        kind,
        routes: routes
          .filter((r) => r.backend === backend.name)
          .map(({ method, unit }) => ({ method, unit })),
        capabilities: backend.capabilities,
        network: backend.network,
        ms: Math.round(performance.now() - started),
        ...balance,
      }
    }),
  )
}

export async function backendSolvency(
  mint: Mint,
  backends: readonly { label: string; backend: PaymentBackend }[],
  outstanding: Record<string, bigint>,
  rates: RateSource | undefined,
): Promise<BackendSolvency[]> {
  const routes = mint.paymentRoutes()
  return Promise.all(
    backends.map(async ({ label, backend }) => {
      const units = [...new Set(routes.filter((r) => r.backend === backend.name).map((r) => r.unit))]
      let liabilities = 0n
      const unpriced: string[] = []
      for (const unit of units) {
        const rate = await priceOf(unit, rates)
        if (!rate) unpriced.push(unit)
        // Rounded up: what the mint owes is never understated.
        else liabilities += ((outstanding[unit] ?? 0n) * rate.msat + rate.per - 1n) / rate.per
      }
      const balance = await backend.balance().catch(() => null)
      return {
        name: label,
        units,
        balance_msat: balance,
        liabilities_msat: liabilities,
        solvent: balance === null ? null : balance >= liabilities,
        unpriced_units: unpriced,
      }
    }),
  )
}
