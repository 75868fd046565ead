/**
 * Lightning prices for units other than sat and msat, from the unit configuration: a fixed rate,
 * or an HTTP price feed (the price of one bitcoin, read from a JSON body at a configured path),
 * cached for `max_age_seconds`. A feed that fails or answers nonsense gives no price: quotes in
 * that unit are refused (11013) rather than priced from stale or wrong data.
 */
import { type Clock, type Rate, type RateSource, rateFromBtcPrice, systemClock } from '@cashu-mint/core/mint'
import type { RateConfig, UnitConfig } from './unit-config.ts'

type Fetch = (url: string, init: { signal: AbortSignal }) => Promise<Response>

/** "12.5" msat per unit as an exact fraction. */
function fixedRate(msatPerUnit: string): Rate {
  const [whole = '0', fraction = ''] = msatPerUnit.split('.')
  return { msat: BigInt(`${whole}${fraction}`), per: 10n ** BigInt(fraction.length) }
}

function priceAt(body: unknown, path: string): string {
  let value = body
  for (const key of path.split('.').filter(Boolean)) value = (value as Record<string, unknown>)?.[key]
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value === 'string') return value
  throw new Error(`no price at "${path}"`)
}

function feed(
  config: Extract<RateConfig, { url: string }>,
  fetchImpl: Fetch,
  clock: Clock,
): () => Promise<Rate> {
  let cached: { rate: Rate; at: number } | undefined
  return async () => {
    if (cached && clock.nowMs() - cached.at < config.max_age_seconds * 1000) return cached.rate
    const response = await fetchImpl(config.url, { signal: AbortSignal.timeout(5000) })
    if (!response.ok) throw new Error(`price feed answered ${response.status}`)
    const rate = rateFromBtcPrice(priceAt(await response.json(), config.path), BigInt(config.scale))
    cached = { rate, at: clock.nowMs() }
    return rate
  }
}

/** The RateSource for the configured units, or undefined when none has a rate. */
export function rateSourceFor(
  units: readonly UnitConfig[],
  { fetchImpl = fetch, clock = systemClock }: { fetchImpl?: Fetch; clock?: Clock } = {},
): RateSource | undefined {
  const prices = new Map<string, () => Promise<Rate>>()
  for (const { unit, rate } of units) {
    if (!rate) continue
    if ('msat_per_unit' in rate) {
      const fixed = fixedRate(rate.msat_per_unit)
      prices.set(unit, async () => fixed)
    } else prices.set(unit, feed(rate, fetchImpl, clock))
  }
  if (prices.size === 0) return undefined
  return {
    rate(unit) {
      const price = prices.get(unit)
      if (!price) return Promise.reject(new Error(`no rate configured for ${unit}`))
      return price()
    },
  }
}
