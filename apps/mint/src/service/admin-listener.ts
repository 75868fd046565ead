/**
 * The admin listener (loopback by default): the operator's API, dashboard, metrics and health,
 * behind the admin token; change tokens it hands out name the mint's public URL.
 */
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Logger } from 'pino'
import { createAdminApp } from '../admin/admin-app.ts'
import type { AuthSettings } from '../config/access-rules.ts'
import type { ServerConfig } from '../config/config.ts'
import { adminToken } from '../config/secret-file.ts'
import { type Listener, listen } from './listen.ts'
import type { MintServices } from './mint-services.ts'

export async function startAdminListener(
  config: ServerConfig,
  services: MintServices,
  auth: AuthSettings | undefined,
  publicUrl: string,
  logger: Logger,
): Promise<{ server: Listener; url: string }> {
  const { mint, store } = services
  const admin = createAdminApp(mint, {
    operator: services.operator,
    reports: store.reports,
    exportSnapshot: () => store.exportSnapshot(),
    ...(auth ? { auth } : {}),
    backends: services.backends.backends,
    rates: services.rates,
    metrics: services.metrics,
    token: await adminToken(config.CASHU_MINT_ADMIN_TOKEN, config.CASHU_MINT_DATA_DIR, logger),
    mintUrl: config.CASHU_MINT_URL ?? publicUrl,
    bodyLimitBytes: config.CASHU_MINT_BODY_LIMIT_BYTES,
    clientOf: (c) => getConnInfo(c).remote.address ?? 'unknown',
    clock: services.clock,
    logger,
  })
  return listen(admin.fetch, config.CASHU_MINT_ADMIN_HOST, config.CASHU_MINT_ADMIN_PORT)
}
