/**
 * The mint: one object that owns the keysets, the background work (settlement stream, melt
 * recovery) and every NUT operation. The HTTP service and embedding applications call this; it
 * talks to the world only through its ports.
 */
import type { CurveBackend } from '../crypto/curve-backend.ts'
import { defaultCurveBackend } from '../crypto/select-backend.ts'
import { mintPublicKey } from '../keys/mint-public-key.ts'
import type { BlindedMessage } from '../protocol/schemas/nut00.ts'
import type { PostSwapRequest } from '../protocol/schemas/nut03.ts'
import type {
  PostMintBatchRequest,
  PostMintQuoteBolt11Request,
  PostMintRequest,
} from '../protocol/schemas/nut04-mint.ts'
import type { PostMeltQuoteBolt11Request, PostMeltRequest } from '../protocol/schemas/nut05-melt.ts'
import type { AuthProof } from '../protocol/schemas/nut21-22.ts'
import {
  AUTH_UNIT,
  type AuthorizedRequest,
  type BlindAuthReservation,
  finishBlindAuth,
  mintBlindAuthTokens,
  recoverBlindAuth,
  reserveBlindAuth,
} from './blind-auth.ts'
import type { MintContext, MintSettings } from './context.ts'
import type { MintEvent } from './events.ts'
import { type IssueRequest, issue } from './issuance.ts'
import { issueEcash } from './issue-ecash.ts'
import { KeysetRing } from './keyset-ring.ts'
import { ensureKeysets, type KeysetPlan, rotateKeysets } from './keyset-setup.ts'
import { activeKeys, keysById, keysetList, keysetsWithNames } from './keyset-views.ts'
import { melt } from './melt.ts'
import { createMeltQuote } from './melt-quotes.ts'
import { mintMadeKey } from './mint-made-proofs.ts'
import { createMintQuote, creditMintQuote, refreshMintQuote, toMintQuoteResponse } from './mint-quotes.ts'
import {
  type Clock,
  type KeysetRecord,
  type LightningBackend,
  type MintStore,
  nowSeconds,
  systemClock,
} from './ports.ts'
import { checkState, restore } from './proof-states.ts'
import { checkMeltQuote, type RecoveryReport, recoverPendingMelts } from './recovery.ts'
import { type RedeemRequest, redeem } from './redeem.ts'
import { type RefundRequest, refund } from './refund.ts'
import { swap } from './swap.ts'
import type { RateSource } from './units.ts'

/** The ecash ring and the auth ring from the stored keysets. */
interface Rings {
  ring: KeysetRing
  authRing: KeysetRing
}

function ringsOf(
  curve: CurveBackend,
  seed: string,
  records: readonly KeysetRecord[],
  previous?: Rings,
): Rings {
  const isAuth = (k: KeysetRecord) => k.unit === AUTH_UNIT
  return {
    ring: new KeysetRing(
      curve,
      seed,
      records.filter((k) => !isAuth(k)),
      previous?.ring,
    ),
    authRing: new KeysetRing(curve, seed, records.filter(isAuth), previous?.authRing),
  }
}

export interface MintOptions {
  store: MintStore
  lightning: LightningBackend
  /** Lightning prices of units other than sat and msat (units.ts). */
  rates?: RateSource
  /** The secret every keyset derives from; never logged or returned. */
  seed: string
  settings: MintSettings
  /** Keysets to create at start for units that have no active keyset yet. */
  keysets: KeysetPlan[]
  curve?: CurveBackend
  clock?: Clock
  onEvent?: (event: MintEvent) => void
  /** How often pending melts are re-checked; 0 disables the timer. Default 30 s. */
  recoveryIntervalMs?: number
}

export type Mint = Awaited<ReturnType<typeof startMint>>

export async function startMint(options: MintOptions) {
  const curve = options.curve ?? defaultCurveBackend()
  const clock = options.clock ?? systemClock
  const { store, seed } = options
  const v1Aliases = options.settings.v1KeysetIds ?? false
  const withAliases = (plan: KeysetPlan): KeysetPlan => ({ withV1Alias: v1Aliases, ...plan })
  const plans = options.keysets.map(withAliases)
  if (options.settings.blindAuth && !plans.some((plan) => plan.unit === AUTH_UNIT))
    plans.push({ unit: AUTH_UNIT, inputFeePpk: 0n })
  await ensureKeysets(store, curve, seed, plans, nowSeconds(clock))
  const listeners = new Set<(event: MintEvent) => void>()
  if (options.onEvent) listeners.add(options.onEvent)
  const ctx: MintContext = {
    store,
    lightning: options.lightning,
    rates: options.rates,
    curve,
    clock,
    ...ringsOf(curve, seed, await store.listKeysets()),
    mintMadeKey: mintMadeKey(seed),
    settings: options.settings,
    emit: (event) => {
      for (const listener of listeners) listener(event)
    },
    paying: new Set(),
  }
  const reloadKeysets = async () => {
    Object.assign(ctx, ringsOf(curve, seed, await store.listKeysets(), ctx))
  }
  const stop = new AbortController()
  const recover = async () => {
    await recoverPendingMelts(ctx)
    if (options.settings.blindAuth) await recoverBlindAuth(ctx)
  }
  await recover()
  // Beside the settlement stream, not before serving: with many open quotes it is one backend call each.
  const openQuotesChecked = checkOpenMintQuotes(ctx, stop.signal).catch(() => undefined)
  const settlementsDone = followSettlements(ctx, stop.signal)
  const interval = options.recoveryIntervalMs ?? 30_000
  const timer = interval > 0 ? setInterval(() => void recover().catch(() => undefined), interval) : undefined
  timer?.unref?.()

  return {
    context: ctx,
    /** NUT-06 `pubkey`: derived from the seed, the same across restarts. */
    publicKey: mintPublicKey(curve, seed),
    subscribe(listener: (event: MintEvent) => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    keys: (id?: string) => (id === undefined ? activeKeys(ctx.ring) : keysById(ctx.ring, id)),
    keysets: () => keysetList(ctx.ring),
    /** For the operator: each keyset once, with the `00` name it also answers to. */
    keysetsWithNames: () => ({
      keysets: [...keysetsWithNames(ctx.ring), ...keysetsWithNames(ctx.authRing)],
    }),
    /** The keyset any name of it (`01` id or `00` alias) refers to: its own id and unit. */
    keysetOf(id: string): { id: string; unit: string } | undefined {
      const found = ctx.ring.find(id)
      return found ? { id: found.record.aliasOf ?? found.record.id, unit: found.record.unit } : undefined
    },
    swap: (request: PostSwapRequest) => swap(ctx, request),
    createMintQuote: (request: PostMintQuoteBolt11Request) => createMintQuote(ctx, request),
    getMintQuote: async (id: string) => toMintQuoteResponse(await refreshMintQuote(ctx, id)),
    checkMintQuotes: async (ids: readonly string[]) =>
      Promise.all(ids.map(async (id) => toMintQuoteResponse(await refreshMintQuote(ctx, id)))),
    mint: (request: PostMintRequest) =>
      issueEcash(ctx, {
        quotes: [request.quote],
        outputs: request.outputs,
        signatures: request.signature === undefined ? undefined : [request.signature],
      }),
    mintBatch: (request: PostMintBatchRequest) => issueEcash(ctx, request),
    createMeltQuote: (request: PostMeltQuoteBolt11Request) => createMeltQuote(ctx, request),
    getMeltQuote: (id: string) => checkMeltQuote(ctx, id),
    melt: (request: PostMeltRequest) => melt(ctx, request),
    checkState: (ys: readonly string[]) => checkState(ctx, ys),
    restore: (outputs: readonly BlindedMessage[]) => restore(ctx, outputs),
    recover: (): Promise<RecoveryReport> => recoverPendingMelts(ctx),
    /** NUT-22: the auth keysets (GET /v1/auth/blind/keys, keysets, keys/{id}). */
    authKeys: (id?: string) => (id === undefined ? activeKeys(ctx.authRing) : keysById(ctx.authRing, id)),
    authKeysets: () => keysetList(ctx.authRing),
    /** NUT-22: BATs for a user the edge verified (NUT-21); counts per `subject` only. */
    mintBlindAuth: (outputs: readonly BlindedMessage[], subject: string) =>
      mintBlindAuthTokens(ctx, outputs, subject),
    /** NUT-22: verifies a BAT and reserves it for one request; finish it with the request's outcome. */
    reserveBlindAuth: (proof: AuthProof, request: AuthorizedRequest) => reserveBlindAuth(ctx, proof, request),
    finishBlindAuth: (reservation: BlindAuthReservation, succeeded: boolean) =>
      finishBlindAuth(ctx, reservation, succeeded),
    /** BATs a crash left PENDING: spent where their request took effect (also runs at start). */
    recoverBlindAuth: () => recoverBlindAuth(ctx),
    /** Operator issuance: a PAID quote for ecash paid for some other way (issuance.ts). */
    issue: (request: IssueRequest) => issue(ctx, request),
    /** Accepts a token as payment of `amount`, once, with a receipt and change (redeem.ts). */
    redeem: (request: RedeemRequest) => redeem(ctx, request),
    /** Gives a receipt's price back as new ecash, once per receipt (refund.ts). */
    refund: (request: RefundRequest) => refund(ctx, request),
    /** A new active keyset for the unit; the old ones turn inactive but stay valid as inputs. */
    async rotateKeyset(plan: KeysetPlan) {
      await rotateKeysets(store, curve, seed, withAliases(plan), nowSeconds(clock))
      await reloadKeysets()
      ctx.emit({ kind: 'keysets' })
      return keysetList(plan.unit === AUTH_UNIT ? ctx.authRing : ctx.ring)
    },
    /** Re-reads the keysets from the store: another instance changed them. */
    reloadKeysets,
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
          await ctx.store.saveSettlementPosition(backend, settlement.position)
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
