/**
 * The operator's figures on the admin API: the balance (what is owed against what each payment
 * backend holds),
 * the running totals checked against a recount, issued and redeemed over time, recent quotes,
 * search, and a backup of the database.
 */
import {
  type Clock,
  type Mint,
  nowSeconds,
  type PaymentBackend,
  type RateSource,
} from '@cashu-mint/core/mint'
import { ErrorCode, MintError, quoteId } from '@cashu-mint/core/protocol'
import type { LedgerDrift, Reports, Snapshot } from '@cashu-mint/storage'
import type { Hono } from 'hono'
import { SearchText } from '../api/admin-schemas.ts'
import { json, param, query } from '../api/http-kit.ts'
import { backendReport, backendSolvency } from './backend-solvency.ts'

const limitOf = (text: string | undefined) => Math.min(Math.max(Number(text ?? 50) || 50, 1), 1000)

/** The running totals against a recount of the rows (storage's ledger-totals.ts), as the API names them. */
function driftBody(drift: LedgerDrift) {
  return {
    agrees: drift.keysets.length === 0 && drift.fees.length === 0,
    keysets: drift.keysets.map((k) => ({ keyset_id: k.keysetId, signed: k.signed, spent: k.spent })),
    fees: drift.fees,
  }
}

/** Liabilities, each backend's balance, fees and pending melts: the dashboard's and `cashu-mint balance`'s figures. */
async function balanceReport(mint: Mint, options: BalanceSources) {
  const [keysets, fees, pendingMelts, holds] = await Promise.all([
    options.reports.balances(),
    options.reports.feesEarned(),
    options.reports.pendingMelts(),
    options.reports.holds(),
  ])
  const units: Record<string, { outstanding: bigint; fees_earned: bigint }> = {}
  for (const keyset of keysets) {
    const unit = units[keyset.unit] ?? { outstanding: 0n, fees_earned: fees[keyset.unit] ?? 0n }
    unit.outstanding += keyset.outstanding
    units[keyset.unit] = unit
  }
  const feeOf = new Map(mint.keysets().keysets.map((k) => [k.id, k.input_fee_ppk]))
  const outstanding = Object.fromEntries(Object.entries(units).map(([unit, u]) => [unit, u.outstanding]))
  return {
    units,
    keysets: keysets.map((k) => ({ ...k, input_fee_ppk: feeOf.get(k.keysetId) })),
    backends: await backendSolvency(mint, options.backends, outstanding, options.rates),
    pending_melts: pendingMelts,
    holds,
  }
}

interface BalanceSources {
  reports: Reports
  backends: readonly { label: string; kind: string; backend: PaymentBackend }[]
  rates?: RateSource | undefined
}

export function reportRoutes(
  app: Hono,
  mint: Mint,
  options: BalanceSources & { exportSnapshot: () => Promise<Snapshot>; clock: Clock },
): void {
  const { clock } = options
  app.get('/v1/admin/balance', async (c) => json(c, await balanceReport(mint, options)))
  app.get('/v1/admin/backends', async (c) => json(c, await backendReport(mint, options.backends)))
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

  app.get('/v1/admin/backup', async (c) => json(c, await options.exportSnapshot()))
}
