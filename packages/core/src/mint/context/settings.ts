/**
 * The operator's settings the engine works with: units and their Lightning limits, request limits,
 * quote lifetimes, the fee reserve and NUT-22 blind auth (the network is each payment backend's).
 */
import type { Limits } from '../checks/verification.ts'

export interface MethodLimits {
  enabled: boolean
  /** In the unit; undefined = no limit. */
  minAmount?: bigint | undefined
  maxAmount?: bigint | undefined
}

export interface UnitSettings {
  mint: MethodLimits & { descriptionAllowed: boolean }
  melt: MethodLimits
}

export interface MintSettings {
  /** Lightning units this mint quotes in; sat and msat are native. */
  units: Record<string, UnitSettings>
  limits: Limits
  mintQuoteTtlSeconds: number
  meltQuoteTtlSeconds: number
  /** Fee reserve for outgoing payments: max(amount * percent / 100, min), in the unit. */
  feeReserve: { percent: number; min: bigint }
  /**
   * Recovery acts on a "payment failed or not found" answer only for melts older than this
   * (default 30 s): a pay call another instance sent a moment ago may not have reached the node yet.
   */
  failedPaymentGraceSeconds?: number
  /** How long a melt request waits for its payment before answering PENDING (default 60 s). */
  meltWaitMs?: number
  /**
   * Serve a `00` name beside each active `01` keyset, for wallets that only know v1 ids (cashu-ts
   * 2.x, Nutstash). Default false: such names the database already has are listed inactive, so
   * ecash under them is still recognised and spent, but nothing new is signed under them.
   */
  v1KeysetIds?: boolean
  /** NUT-22 limits; the auth keyset exists only when blind auth is configured. */
  blindAuth?: BlindAuthSettings
}

export interface BlindAuthSettings {
  /** NUT-22 `bat_max_mint`: BATs per mint request. */
  batMaxMint: number
  /** BAT mint requests one user may make per minute (31004 beyond). */
  mintRequestsPerMinute: number
  /**
   * A BAT left PENDING by a crash is released after this long (default 600 s) if its request took
   * no effect: until then another instance may still be running the request.
   */
  pendingGraceSeconds?: number
}
