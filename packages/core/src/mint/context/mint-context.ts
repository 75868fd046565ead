/**
 * What every mint operation works with: the ports, the keysets and the operator's settings. Built
 * once by startMint; operations take it as their first argument.
 */
import type { CurveBackend } from '../../crypto/curve-backend.ts'
import type { KeysetRing } from '../keysets/keyset-ring.ts'
import type { Clock } from '../ports/clock.ts'
import type { MintEvent } from '../ports/events.ts'
import type { Signer } from '../ports/signer.ts'
import type { MintStore } from '../ports/store.ts'
import type { RateSource } from '../primitives/prices.ts'
import type { PaymentRouter } from './payment-router.ts'
import type { MintSettings } from './settings.ts'

export interface MintContext {
  store: MintStore
  /** The payment backends, by method and unit. */
  backends: PaymentRouter
  /** Prices of units other than sat and msat; without it they have no Lightning quotes. */
  rates: RateSource | undefined
  curve: CurveBackend
  clock: Clock
  /** Who signs outputs and checks inputs (ports/signer.ts): this process, or another. */
  signer: Signer
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
