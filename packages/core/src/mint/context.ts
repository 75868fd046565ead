/**
 * What every mint operation works with: the ports, the keysets and the operator's settings.
 */
import type { CurveBackend } from '../crypto/curve-backend.ts'
import type { BlindAuthSettings } from './blind-auth.ts'
import type { MintEvent } from './events.ts'
import type { KeysetRing } from './keyset-ring.ts'
import type { Clock, LightningBackend, MintStore } from './ports.ts'
import type { RateSource } from './units.ts'
import type { Limits } from './verification.ts'

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
  /** The network of the Lightning node: invoices for other networks are refused. */
  network: 'bitcoin' | 'testnet' | 'signet' | 'regtest'
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

export interface MintContext {
  store: MintStore
  lightning: LightningBackend
  /** Prices of units other than sat and msat; without it they have no Lightning quotes. */
  rates: RateSource | undefined
  curve: CurveBackend
  clock: Clock
  /** The ecash keysets. */
  ring: KeysetRing
  /** NUT-22: the `auth` keysets, apart so a BAT is never ecash and ecash never a BAT. */
  authRing: KeysetRing
  settings: MintSettings
  emit: (event: MintEvent) => void
  /** Derives the secrets of proofs the mint makes itself (mint-made-proofs.ts). */
  mintMadeKey: Uint8Array
  /** Melt quotes whose pay call is running in this process: recovery leaves them alone. */
  paying: Set<string>
}
