/**
 * What the engine does without being asked: it credits paid invoices as the backend reports them,
 * checks the quotes that were open when it started, and finishes pending melts and blind auth
 * tokens on a timer. Each failure is retried later; none stops the engine.
 */
import { recoverBlindAuth } from './auth/blind-auth.ts'
import type { MintContext } from './context/mint-context.ts'
import { type RecoveryReport, recoverPendingMelts } from './operations/melt/recovery.ts'
import { nowSeconds } from './ports/clock.ts'
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
  const settlementsDone = followSettlements(ctx, stop.signal)
  const timer =
    recoveryIntervalMs > 0
      ? setInterval(() => void recoverAll(ctx).catch(() => undefined), recoveryIntervalMs)
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
async function followSettlements(ctx: MintContext, signal: AbortSignal): Promise<void> {
  const backend = ctx.lightning.name
  while (!signal.aborted) {
    try {
      const after = await ctx.store.getSettlementPosition(backend)
      for await (const settlement of ctx.lightning.settlements(signal, after)) {
        await creditMintQuote(ctx, settlement.paymentHash, settlement.amountPaidMsat)
        if (settlement.position !== undefined)
          await ctx.store.saveSettlementPosition(backend, settlement.position, nowSeconds(ctx.clock))
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
