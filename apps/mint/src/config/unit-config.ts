/**
 * The units the mint issues, from CASHU_MINT_UNITS (a JSON array) or, without it, the single
 * CASHU_MINT_UNIT. Each unit has its own keysets and input fee, may be bought (mint) and cashed
 * out (melt) over Lightning or not (closed loop), and, unless it is sat or msat, needs a price to
 * be used with Lightning at all: a fixed rate, or an HTTP price feed the operator chooses.
 *
 *   CASHU_MINT_UNITS='[
 *     {"unit": "sat"},
 *     {"unit": "usd", "melt": false, "rate": {"url": "https://…/BTC-USD", "path": "data.amount", "scale": 100}},
 *     {"unit": "credit", "input_fee_ppk": 0}
 *   ]'
 */
import { z } from 'zod'

const whole = z.union([z.number().int().nonnegative(), z.string().regex(/^[0-9]+$/)]).transform(BigInt)
const decimal = z.union([z.number().positive(), z.string().regex(/^[0-9]+(\.[0-9]+)?$/)]).transform(String)

const RateConfig = z.union([
  z.object({
    /** msat for one unit: "10000" makes one unit (a cent, say) cost 10 sat. May have decimals. */
    msat_per_unit: decimal,
  }),
  z.object({
    /** A JSON price feed: the price of one bitcoin in the currency. */
    url: z.url(),
    /** Where the price is in the JSON, dot-separated (e.g. "data.amount"); the body itself if empty. */
    path: z.string().default(''),
    /** Units per currency unit: 100 for a unit of cents. */
    scale: z.number().int().positive().default(1),
    /** How long a fetched price is used. */
    max_age_seconds: z.number().int().positive().default(60),
  }),
])

const UnitEntry = z.object({
  unit: z
    .string()
    .regex(/^[a-z0-9_]+$/, 'must be a lowercase unit name')
    .refine((unit) => unit !== 'auth', 'auth is reserved for NUT-22 blind auth tokens'),
  input_fee_ppk: whole.default(0n),
  mint: z.boolean().optional(),
  melt: z.boolean().optional(),
  min_amount: whole.optional(),
  max_amount: whole.optional(),
  rate: RateConfig.optional(),
})

export type RateConfig = z.output<typeof RateConfig>

export interface UnitConfig {
  unit: string
  inputFeePpk: bigint
  /** Lightning top-ups (NUT-04 quotes). */
  mint: boolean
  /** Lightning cash-outs (NUT-05); off makes a closed loop. */
  melt: boolean
  minAmount: bigint | undefined
  maxAmount: bigint | undefined
  rate: RateConfig | undefined
}

const NATIVE = new Set(['sat', 'msat'])

/** Parses CASHU_MINT_UNITS; errors name the entry and field. */
export function parseUnits(json: string): UnitConfig[] {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch (error) {
    throw new Error(`is not JSON: ${(error as Error).message}`)
  }
  const parsed = z.array(UnitEntry).min(1, 'needs at least one unit').safeParse(raw)
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
  }
  const units = parsed.data.map((entry) => {
    const priced = NATIVE.has(entry.unit) || entry.rate !== undefined
    for (const side of ['mint', 'melt'] as const) {
      if (entry[side] === true && !priced)
        throw new Error(`${entry.unit}: ${side} over Lightning needs a "rate" (only sat and msat have one)`)
    }
    return {
      unit: entry.unit,
      inputFeePpk: entry.input_fee_ppk,
      mint: entry.mint ?? priced,
      melt: entry.melt ?? priced,
      minAmount: entry.min_amount,
      maxAmount: entry.max_amount,
      rate: entry.rate,
    }
  })
  const names = units.map((u) => u.unit)
  const twice = names.find((name, i) => names.indexOf(name) !== i)
  if (twice) throw new Error(`${twice} is listed twice`)
  return units
}
