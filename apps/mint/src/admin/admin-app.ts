/**
 * The admin API, on its own listener (loopback by default) behind a bearer token: what the
 * operator and the provider's backend do that wallets must not. Operator issuance credits a user
 * who paid some other way; redeem accepts a token as payment for a backend that runs apart from
 * the mint (the in-process API does the same without HTTP).
 */
import {
  createLocalRedeemer,
  IDEMPOTENCY_KEY,
  RedeemRequestBody,
  RefundRequestBody,
} from '@cashu-mint/accept'
import {
  AUTH_UNIT,
  type Clock,
  type LightningBackend,
  type Mint,
  nowSeconds,
  systemClock,
} from '@cashu-mint/core/mint'
import { ErrorCode, MintError, quoteId } from '@cashu-mint/core/protocol'
import type { LedgerDrift, Reports, Snapshot } from '@cashu-mint/storage'
import { type Context, Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import type { Logger } from 'pino'
import { IdempotencyKey, IssueRequestBody, RotateRequestBody, SearchText } from '../api/admin-schemas.ts'
import { serveDocs } from '../api/docs-page.ts'
import { answerErrors, body, header, json, limitBody, logRequests, param, query } from '../api/http-kit.ts'
import { openApiDocument } from '../api/openapi.ts'
import type { AccessRules } from '../config/access-rules.ts'
import { type OperatorControl, OperatorSettings } from '../config/operator-settings.ts'
import { VERSION } from '../config/version.ts'
import { checkHealth, healthCode } from '../observability/health.ts'
import type { Metrics } from '../observability/metrics.ts'
import { adminAuth } from './admin-auth.ts'
import { serveDashboard } from './dashboard.ts'

export interface AdminAppOptions {
  operator: OperatorControl
  /** What the admin API's times are read from (flows since, a new keyset's expiry). */
  clock?: Clock
  reports: Reports
  /** A consistent copy of the database, for `cashu-mint backup` (the seed is never in it). */
  exportSnapshot: () => Promise<Snapshot>
  lightning: LightningBackend
  token: string
  /** The mint's public URL, written into change tokens. */
  mintUrl: string
  bodyLimitBytes: number
  /** The client's address, for slowing down wrong tokens (the TCP peer's). */
  clientOf: (c: Context) => string
  logger?: Logger
  metrics?: Metrics
  /** NUT-21/22 access control, where configured (switched with the `auth_enabled` setting). */
  auth?: {
    openidDiscovery: string
    clientId: string
    rules: AccessRules
    batMaxMint: number
    enabled: () => boolean
  }
}

/**
 * Every admin page and answer: nothing may frame it (the rotate button cannot be clicked through
 * another site), scripts, styles and requests only from here, no MIME sniffing, no referrer.
 */
const adminSecurityHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
  },
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
})

/** Access control as configured, and the BATs minted per OpenID subject (counts only). */
async function authReport(mint: Mint, reports: Reports, auth: AdminAppOptions['auth']) {
  if (!auth) return { configured: false, enabled: false }
  return {
    configured: true,
    enabled: auth.enabled(),
    openid_discovery: auth.openidDiscovery,
    client_id: auth.clientId,
    clear_endpoints: auth.rules.clear,
    blind_endpoints: auth.rules.blind,
    bat_max_mint: auth.batMaxMint,
    keysets: mint.authKeysets().keysets,
    users: (await reports.authUsers()).map((user) => ({
      subject: user.subject,
      bats_minted: user.bats,
      mint_requests: user.requests,
      last_at: user.lastAt,
    })),
  }
}

const limitOf = (text: string | undefined) => Math.min(Math.max(Number(text ?? 50) || 50, 1), 1000)

/** The running totals against a recount of the rows (storage's ledger-totals.ts), as the API names them. */
function driftBody(drift: LedgerDrift) {
  return {
    agrees: drift.keysets.length === 0 && drift.fees.length === 0,
    keysets: drift.keysets.map((k) => ({ keyset_id: k.keysetId, signed: k.signed, spent: k.spent })),
    fees: drift.fees,
  }
}

/** Liabilities, Lightning balance, fees and pending melts: the dashboard's and `cashu-mint balance`'s figures. */
async function balanceReport(mint: Mint, reports: Reports, lightning: LightningBackend) {
  const [keysets, fees, pendingMelts, lightningMsat] = await Promise.all([
    reports.balances(),
    reports.feesEarned(),
    reports.pendingMelts(),
    lightning.balance().catch(() => null),
  ])
  const units: Record<string, { outstanding: bigint; fees_earned: bigint }> = {}
  for (const keyset of keysets) {
    const unit = units[keyset.unit] ?? { outstanding: 0n, fees_earned: fees[keyset.unit] ?? 0n }
    unit.outstanding += keyset.outstanding
    units[keyset.unit] = unit
  }
  const feeOf = new Map(mint.keysets().keysets.map((k) => [k.id, k.input_fee_ppk]))
  const satLiabilityMsat = (units.sat?.outstanding ?? 0n) * 1000n + (units.msat?.outstanding ?? 0n)
  return {
    units,
    keysets: keysets.map((k) => ({ ...k, input_fee_ppk: feeOf.get(k.keysetId) })),
    lightning: {
      balance_msat: lightningMsat,
      /** sat and msat ecash outstanding, msat: what the node must be able to pay out. */
      liabilities_msat: satLiabilityMsat,
      solvent: lightningMsat === null ? null : lightningMsat >= satLiabilityMsat,
    },
    pending_melts: pendingMelts,
  }
}

export function createAdminApp(mint: Mint, options: AdminAppOptions): Hono {
  const app = new Hono()
  const clock = options.clock ?? systemClock
  logRequests(app, options.logger, options.metrics?.http('admin'))
  app.use('*', adminSecurityHeaders)
  const api = openApiDocument('admin', VERSION)
  app.get('/openapi.json', (c) => c.json(api))
  serveDocs(app, 'cashu-mint: admin API')
  app.get('/', (c) => c.redirect('/dashboard'))
  serveDashboard(app)
  app.get('/health', async (c) => {
    const health = await checkHealth(options)
    return json(c, health, healthCode(health))
  })
  const auth = adminAuth({ token: options.token, clientOf: options.clientOf })
  app.use('/v1/admin/*', auth)
  app.use('/v1/admin/*', limitBody(options.bodyLimitBytes))
  const redeemer = createLocalRedeemer(mint, { mintUrl: options.mintUrl })

  app.post('/v1/admin/issue', async (c) => {
    const request = await body(c, IssueRequestBody)
    const { quote, issuance } = await mint.credit({
      amount: request.amount,
      unit: request.unit,
      reference: request.reference,
      pubkey: request.pubkey,
      ttlSeconds: request.ttl_seconds === undefined ? undefined : Number(request.ttl_seconds),
    })
    return json(c, { ...quote, reference: issuance.reference })
  })

  app.post('/v1/admin/redeem', async (c) => {
    const request = await body(c, RedeemRequestBody)
    return json(
      c,
      await redeemer.redeem(request.token, {
        amount: request.amount,
        unit: request.unit,
        key: header(c, IDEMPOTENCY_KEY, IdempotencyKey),
        memo: request.memo,
        outputs: request.outputs,
      }),
    )
  })

  app.post('/v1/admin/receipts/:id/refund', async (c) => {
    const request = await body(c, RefundRequestBody)
    return json(c, await redeemer.refund(param(c, 'id', quoteId), { reason: request.reason }))
  })

  app.get('/v1/admin/settings', (c) => json(c, options.operator.current()))
  app.patch('/v1/admin/settings', async (c) =>
    json(c, await options.operator.update(await body(c, OperatorSettings))),
  )

  app.get('/v1/admin/auth', async (c) => json(c, await authReport(mint, options.reports, options.auth)))
  app.get('/v1/admin/keysets', (c) => json(c, mint.keysetsWithNames()))
  app.post('/v1/admin/keysets/rotate', async (c) => {
    const request = await body(c, RotateRequestBody)
    const keysets = mint.keysetsWithNames().keysets
    if (!keysets.some((k) => k.unit === request.unit))
      throw new MintError(ErrorCode.UNIT_UNSUPPORTED, `unit ${request.unit} is not configured`)
    if (
      request.unit === AUTH_UNIT &&
      (request.input_fee_ppk !== undefined || request.final_expiry !== undefined)
    )
      throw new MintError(
        ErrorCode.MALFORMED_REQUEST,
        'unit: the auth keyset has no fee and no expiry (NUT-22)',
      )
    if (request.final_expiry !== undefined && request.final_expiry <= nowSeconds(clock))
      throw new MintError(ErrorCode.MALFORMED_REQUEST, 'final_expiry: must be in the future')
    const current = keysets.find((k) => k.unit === request.unit && k.active)
    return json(
      c,
      await mint.rotateKeyset({
        unit: request.unit,
        inputFeePpk: request.input_fee_ppk ?? current?.input_fee_ppk ?? 0n,
        finalExpiry: request.final_expiry,
      }),
    )
  })

  app.get('/v1/admin/balance', async (c) =>
    json(c, await balanceReport(mint, options.reports, options.lightning)),
  )
  app.get('/v1/admin/balance/drift', async (c) => json(c, driftBody(await options.reports.ledgerDrift())))
  app.post('/v1/admin/balance/recount', async (c) =>
    json(c, { corrected: driftBody(await options.reports.correctLedgerTotals()) }),
  )
  app.get('/v1/admin/flows', async (c) => {
    const hours = Math.min(Math.max(Number(c.req.query('hours') ?? 48) || 48, 1), 24 * 90)
    const since = nowSeconds(clock) - BigInt(hours * 3600)
    return json(c, await options.reports.flows(since))
  })

  app.get('/v1/admin/quotes', async (c) => {
    const limit = limitOf(c.req.query('limit'))
    const kind = c.req.query('kind') ?? 'mint'
    if (kind === 'melt') return json(c, await options.reports.recentMeltQuotes(limit))
    if (kind !== 'mint') throw new MintError(ErrorCode.MALFORMED_REQUEST, 'kind: is mint or melt')
    return json(c, await options.reports.recentMintQuotes(limit))
  })
  app.get('/v1/admin/quotes/:id', async (c) => {
    const id = param(c, 'id', quoteId)
    const quote = await options.reports.quote(id)
    if (!quote) throw new MintError(ErrorCode.MALFORMED_REQUEST, `id: no quote ${id}`)
    return json(c, quote)
  })

  app.get('/v1/admin/search', async (c) => json(c, await options.reports.search(query(c, 'q', SearchText))))

  if (options.metrics) {
    const metrics = options.metrics
    app.get('/metrics', auth, async (c) =>
      c.body(await metrics.text(), 200, { 'content-type': metrics.registry.contentType }),
    )
  }

  app.get('/v1/admin/backup', async (c) => json(c, await options.exportSnapshot()))

  answerErrors(app, options.logger)
  return app
}
