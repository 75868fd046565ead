/**
 * Lightning prices of the mint's units. sat and msat are priced natively; any other unit (usd in
 * cents, eur, a custom `credit`) needs a RateSource, and without one it can be issued by the
 * operator and spent, but not bought or cashed out over Lightning. The rate used is recorded on
 * each quote. Rounding always favours the mint: a wallet never pays less than the Lightning amount.
 */
import { ErrorCode, MintError } from '../../protocol/errors.ts'

/** `per` units cost `msat` millisatoshis. */
export interface Rate {
  msat: bigint
  per: bigint
}

/** Where the price of a non-native unit comes from (fixed in config, an HTTP price feed…). */
export interface RateSource {
  /** Throws when the unit has no price or the price cannot be had now. */
  rate(unit: string): Promise<Rate>
}

// A Map, so a unit named like an Object.prototype member ("valueOf") is just an unknown unit.
const NATIVE = new Map<string, Rate>([
  ['sat', { msat: 1000n, per: 1n }],
  ['msat', { msat: 1n, per: 1n }],
])

export function isNativeUnit(unit: string): boolean {
  return NATIVE.has(unit)
}

/** The rate to quote `unit` at now. */
export async function rateOf(unit: string, source: RateSource | undefined): Promise<Rate> {
  const native = NATIVE.get(unit)
  if (native) return native
  if (!source) throw new MintError(ErrorCode.UNIT_UNSUPPORTED, `unit ${unit} has no Lightning price`)
  let rate: Rate
  try {
    rate = await source.rate(unit)
  } catch (error) {
    throw new MintError(
      ErrorCode.UNIT_UNSUPPORTED,
      `no Lightning price for ${unit} right now: ${(error as Error).message}`,
    )
  }
  if (rate.msat <= 0n || rate.per <= 0n)
    throw new MintError(ErrorCode.UNIT_UNSUPPORTED, `the price of ${unit} is not positive`)
  return rate
}

/** All the bitcoin there will ever be, in msat: no Lightning payment can be larger. */
export const MAX_LIGHTNING_MSAT = 21_000_000n * 100_000_000n * 1000n

/** Refuses a payment larger than Lightning can carry (it would not fit the books either). */
export function assertPayableMsat(msat: bigint, field: string): void {
  if (msat > MAX_LIGHTNING_MSAT)
    throw new MintError(ErrorCode.AMOUNT_OUT_OF_LIMIT_RANGE, `${field}: more than 21 million bitcoin`)
}

/** Units to msat, rounded up: what an invoice for `amount` must ask. */
export function toMsatCeil(amount: bigint, rate: Rate): bigint {
  return (amount * rate.msat + rate.per - 1n) / rate.per
}

/** Units to msat, rounded down: what `amount` units provided by a wallet can pay for. */
export function toMsatFloor(amount: bigint, rate: Rate): bigint {
  return (amount * rate.msat) / rate.per
}

/** msat to units, rounded up: what a wallet pays for a Lightning amount. */
export function fromMsatCeil(msat: bigint, rate: Rate): bigint {
  return (msat * rate.per + rate.msat - 1n) / rate.msat
}

/** As recorded on quotes: "msat/per". */
export function formatRate(rate: Rate): string {
  return `${rate.msat}/${rate.per}`
}

export function parseRate(text: string): Rate {
  const [msat, per] = text.split('/')
  return { msat: BigInt(msat ?? '0'), per: BigInt(per ?? '1') }
}

/**
 * A price in units of a currency per bitcoin (e.g. 97000.12 USD per BTC), scaled to the mint's unit
 * (100 for a unit of cents), as a Rate. Exact: the decimal is kept as a fraction.
 */
export function rateFromBtcPrice(price: string, scale = 1n): Rate {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(price.trim())
  if (!match) throw new Error(`not a price: ${price}`)
  const decimals = match[2] ?? ''
  const unitsPerBtc = BigInt(`${match[1]}${decimals}`) * scale
  if (unitsPerBtc === 0n) throw new Error('the price is zero')
  // 1 BTC = 10^11 msat = unitsPerBtc / 10^decimals units.
  return { msat: 100_000_000_000n * 10n ** BigInt(decimals.length), per: unitsPerBtc }
}
