/**
 * Lightning amounts for the units this engine prices natively. Other units need a rate source
 * (service-provider issue) and are refused for Lightning quotes until one is configured.
 */
import { ErrorCode, MintError } from '../protocol/errors.ts'

const MSAT_PER: Record<string, bigint> = { sat: 1000n, msat: 1n }

export function toMsat(unit: string, amount: bigint): bigint {
  const per = MSAT_PER[unit]
  if (per === undefined)
    throw new MintError(ErrorCode.UNIT_UNSUPPORTED, `unit ${unit} has no Lightning price`)
  return amount * per
}

/** msat in the unit, rounded up: the wallet never pays less than the Lightning amount. */
export function fromMsatCeil(unit: string, msat: bigint): bigint {
  const per = MSAT_PER[unit]
  if (per === undefined)
    throw new MintError(ErrorCode.UNIT_UNSUPPORTED, `unit ${unit} has no Lightning price`)
  return (msat + per - 1n) / per
}
