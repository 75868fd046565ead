/**
 * The engine and what it runs on, opened in the order that makes a failure clearest: the seed, the
 * Lightning backend (an unreachable, locked or under-privileged node stops the start here), the
 * database (migrated), the operator's stored settings over the configuration, the metrics, then
 * the engine, counted by the metrics.
 */
import { type Clock, type Mint, type MintSettings, type RateSource, startMint } from '@cashu-mint/core/mint'
import { type OpenedStore, type OutageEvent, openStore } from '@cashu-mint/storage'
import type { Logger } from 'pino'
import { databaseUrlOf, type ServerConfig, unitsOf } from '../config/config.ts'
import { mintKeys } from '../config/mint-keys.ts'
import { keysetPlanFrom, mintSettingsFrom } from '../config/mint-settings.ts'
import { createOperatorControl, type OperatorControl } from '../config/operator-settings.ts'
import { type ConnectedBackends, connectBackends } from '../config/payment-backends.ts'
import { rateSourceFor } from '../config/rate-sources.ts'
import type { UnitConfig } from '../config/unit-config.ts'
import { createMetrics, type Metrics } from '../observability/metrics.ts'

export interface MintServices {
  /** The engine, its operations counted by `metrics`. */
  mint: Mint
  store: OpenedStore
  databaseUrl: string
  /** The payment backends and which serves each method and unit. */
  backends: ConnectedBackends
  /** Lightning prices of units other than sat and msat. */
  rates: RateSource | undefined
  /** The engine's settings; the operator's switches change them in place. */
  settings: MintSettings
  units: UnitConfig[]
  operator: OperatorControl
  metrics: Metrics
  clock: Clock
}

/** One line when a dependency stops answering (requests get 503 meanwhile), one when it is back. */
export const logOutage = (logger: Logger) => (event: OutageEvent) => {
  if (event.state === 'down')
    logger.error(
      { dependency: event.dependency, reason: event.reason },
      `${event.dependency} unavailable: answering 503 until it is back`,
    )
  else
    logger.warn(
      { dependency: event.dependency, downMs: event.downMs, failedCalls: event.failures },
      `${event.dependency} available again`,
    )
}

export async function openMintServices(
  config: ServerConfig,
  logger: Logger,
  clock: Clock,
): Promise<MintServices> {
  const keys = await mintKeys(config, logger)
  const backends = await connectBackends(config, clock)
  const databaseUrl = databaseUrlOf(config)
  const store = await openStore({ url: databaseUrl, clock, onOutage: logOutage(logger) })
  const settings = mintSettingsFrom(config)
  const units = unitsOf(config)
  const operator = await createOperatorControl({ store: store.operatorSettings, settings, units })
  const metrics = createMetrics({ reports: store.reports, backends: backends.backends })
  const rates = rateSourceFor(units, { clock })
  const engine = await startMint({
    store: metrics.timeStore(store),
    backends: backends.routes,
    ...(rates ? { rates } : {}),
    keys,
    settings,
    keysets: keysetPlanFrom(config),
    clock,
  })
  return {
    mint: metrics.instrument(engine),
    store,
    databaseUrl,
    backends,
    rates,
    settings,
    units,
    operator,
    metrics,
    clock,
  }
}
