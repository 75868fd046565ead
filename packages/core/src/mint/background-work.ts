/**
 * What the engine does without being asked: it credits paid invoices as each backend reports them,
 * checks the quotes that were open when it started (and, for a backend whose stream does not
 * replay what it missed, keeps asking about open quotes), and finishes pending melts and blind auth
 * tokens on a timer. Each failure is retried later; none stops the engine.
 */

import { setTimeout as sleep } from 'node:timers/promises'
import { recoverBlindAuth } from './auth/blind-auth.ts'
import type { MintContext } from './context/mint-context.ts'
import { settleExpiredHolds } from './operations/holds.ts'
import { type RecoveryReport, recoverPendingMelts } from './operations/melt/recovery.ts'
import { nowSeconds } from './ports/clock.ts'
import type { PaymentBackend } from './ports/payment-backend.ts'
import type { MintQuoteRecord } from './ports/store.ts'
import { creditMintQuote, refreshMintQuote } from './quotes/mint-quotes.ts'

/** Pending melts, and with blind auth its pending BATs: at start, on the timer, and when asked. */
export async function recoverAll(ctx: MintContext): Promise<RecoveryReport> {
  const report = await recoverPendingMelts(ctx)
  if (ctx.settings.blindAuth) await recoverBlindAuth(ctx)
  return report
}

/** Starts the background work; `stop` ends it and waits for what is running. */
export function startBackgroundWork(ctx: MintContext, recoveryIntervalMs: number): { stop(): Promise<void> } {
  const stop = new AbortController()
  // Beside the settlement stream, not before serving: with many open quotes it is one backend call each.
  const openQuotesChecked = checkOpenMintQuotes(ctx, stop.signal).catch(() => undefined)
  const settlementsDone = Promise.all([
    ...ctx.backends.backends().map((backend) => followSettlements(ctx, backend, stop.signal)),
    pollOpenQuotes(ctx, stop.signal),
  ])
  const timer =
    recoveryIntervalMs > 0
      ? setInterval(() => {
          void recoverAll(ctx).catch(() => undefined)
          // Holds that expired unsettled settle by their rules.
          void settleExpiredHolds(ctx).catch(() => undefined)
        }, recoveryIntervalMs)
      : undefined
  timer?.unref?.()
  return {
    async stop() {
      stop.abort()
      if (timer) clearInterval(timer)
      await Promise.all([settlementsDone, openQuotesChecked])
    },
  }
}

/**
 * Credits paid invoices as the backend reports them, resuming after the last position processed
 * so nothing paid while the mint was down or the stream was broken is missed. Crediting is
 * idempotent, so a crash between crediting and saving the position only replays one settlement.
 */
async function followSettlements(
  ctx: MintContext,
  backend: PaymentBackend,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    try {
      const after = await ctx.store.getSettlementPosition(backend.name)
      for await (const settlement of backend.settlements(signal, after)) {
        await creditMintQuote(ctx, settlement.paymentHash, settlement.amountPaidMsat)
        if (settlement.position !== undefined)
          await ctx.store.saveSettlementPosition(backend.name, settlement.position, nowSeconds(ctx.clock))
      }
    } catch {
      // Reconnect below; unpaid quotes are also re-checked at start and when a wallet asks.
    }
    if (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}

/** At start: asks the backend about every unexpired unpaid quote, in case a settlement was missed. */
async function checkOpenMintQuotes(ctx: MintContext, signal: AbortSignal): Promise<void> {
  const now = nowSeconds(ctx.clock)
  const open = await ctx.store.listMintQuotes({ state: 'UNPAID', limit: 10_000 })
  for (const quote of open) {
    if (signal.aborted) return
    if (quote.expiry < now) continue
    await refreshMintQuote(ctx, quote.id).catch(() => undefined)
  }
}

/** How often an open quote of a backend that does not replay is asked about, by its age in seconds. */
const pollEvery = (ageSeconds: bigint): bigint => (ageSeconds < 120n ? 3n : ageSeconds < 900n ? 15n : 60n)

/**
 * For backends whose settlement stream does not replay what it missed (a processor restarted, a
 * push channel that was down): their unpaid, unexpired quotes are asked about, a new one every few
 * seconds and an older one less often, so a wallet waiting on NUT-17 hears of its payment anyway.
 */
async function pollOpenQuotes(ctx: MintContext, signal: AbortSignal): Promise<void> {
  if (ctx.backends.backends().every((backend) => backend.capabilities.replaysSettlements)) return
  const checkedAt = new Map<string, bigint>()
  while (!signal.aborted) {
    await sleep(3000, undefined, { signal }).catch(() => undefined)
    if (signal.aborted) return
    const now = nowSeconds(ctx.clock)
    const open = await ctx.store.listMintQuotes({ state: 'UNPAID', limit: 10_000 }).catch(() => [])
    for (const quote of open) {
      if (signal.aborted) return
      if (quote.expiry < now || !pollsFor(ctx, quote)) continue
      if (now - (checkedAt.get(quote.id) ?? 0n) < pollEvery(now - quote.createdAt)) continue
      checkedAt.set(quote.id, now)
      await refreshMintQuote(ctx, quote.id).catch(() => undefined)
    }
    const stillOpen = new Set(open.map((q) => q.id))
    for (const id of checkedAt.keys()) if (!stillOpen.has(id)) checkedAt.delete(id)
  }
}

const pollsFor = (ctx: MintContext, quote: MintQuoteRecord): boolean => {
  try {
    return !ctx.backends.ofQuote(quote).capabilities.replaysSettlements
  } catch {
    return false
  }
}
