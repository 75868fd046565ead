/**
 * The whole service: the engine and what it runs on (mint-services.ts), events across instances,
 * the public and the admin listener, and housekeeping. `stop()` stops accepting connections, lets
 * in-flight requests finish, then stops the engine and closes the database.
 */
import { defaultCurveBackend } from '@cashu-mint/core/crypto'
import { ensureKeysets, signerOf, systemClock } from '@cashu-mint/core/mint'
import { openStore } from '@cashu-mint/storage'
import { type Logger, pino } from 'pino'
import { databaseUrlOf, type ServerConfig } from './config/config.ts'
import { mintKeys } from './config/mint-keys.ts'
import { keysetPlanFrom } from './config/mint-settings.ts'
import { connectBackends } from './config/payment-backends.ts'
import { adminToken } from './config/secret-file.ts'
import { startAdminListener } from './service/admin-listener.ts'
import { fanOutEvents } from './service/events.ts'
import { startHousekeeping } from './service/housekeeping.ts'
import { close } from './service/listen.ts'
import { openMintServices } from './service/mint-services.ts'
import { authSettingsOf, startPublicListener } from './service/public-listener.ts'

/**
 * Everything that must happen once before several workers start: the payment backends' checks (so
 * a node or processor that is unreachable or refuses the credentials stops the start instead of
 * crash-looping workers), the
 * secret files, migrations and the first keysets. Workers doing it concurrently would race on the
 * last three. No engine starts here, so no melt recovery asks the backend anything.
 */
export async function prepareMint(config: ServerConfig, logger: Logger): Promise<void> {
  const clock = systemClock
  await connectBackends(config, clock)
  await adminToken(config.CASHU_MINT_ADMIN_TOKEN, config.CASHU_MINT_DATA_DIR, logger)
  const keys = await mintKeys(config, logger)
  const store = await openStore({ url: databaseUrlOf(config), maxConnections: 2, clock })
  const options = { curve: defaultCurveBackend(), store, clock, v1Aliases: config.CASHU_MINT_V1_KEYSET_IDS }
  const signer = signerOf(keys, options)
  try {
    await ensureKeysets(store, signer, keysetPlanFrom(config), clock)
  } finally {
    await signer.close?.()
    await store.close()
  }
}

/** For logs: where the data is, never the credentials in a database URL. */
const describeDatabase = (url: string) =>
  url.includes('://') ? url.replace(/\/\/[^@/]*@/, '//***@') : `PGlite in ${url}`

export async function startServer(
  config: ServerConfig,
  logger: Logger = pino({ level: config.CASHU_MINT_LOG_LEVEL }),
) {
  const services = await openMintServices(config, logger, systemClock)
  const events = await fanOutEvents(services, logger)
  const auth = authSettingsOf(config, services)
  const publicSide = await startPublicListener(config, services, events, auth, logger)
  const adminSide = await startAdminListener(config, services, auth, publicSide.url, logger)
  const housekeeping = startHousekeeping({
    responseCache: services.store.responseCache,
    cacheTtlSeconds: config.CASHU_MINT_CACHE_TTL_SECONDS,
    clock: services.clock,
    listeners: [publicSide.server, adminSide.server],
    logger,
  })
  logger.info(
    {
      url: publicSide.url,
      adminUrl: adminSide.url,
      units: services.units.map((u) => u.unit),
      backends: services.backends.backends.map((b) => `${b.label}: ${b.description}`),
      database: describeDatabase(services.databaseUrl),
    },
    'mint listening',
  )
  return {
    url: publicSide.url,
    adminUrl: adminSide.url,
    mint: services.mint,
    /** The payment backends, by the operator's names. */
    backends: services.backends.backends,
    async stop() {
      publicSide.closeWebsockets()
      await close(publicSide.server)
      await close(adminSide.server)
      housekeeping.stop()
      await events.close()
      await services.mint.stop()
      await services.store.close()
    },
  }
}
