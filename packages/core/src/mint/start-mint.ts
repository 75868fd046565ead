/**
 * startMint: the engine over its ports. It writes the planned keysets, derives their keys from the
 * seed, finishes what a crash left pending, starts the background work, and answers the Mint
 * interface (mint.ts) with one operation per method.
 */
import type { CurveBackend } from '../crypto/curve-backend.ts'
import { defaultCurveBackend } from '../crypto/select-backend.ts'
import {
  finishBlindAuth,
  mintBlindAuthTokens,
  recoverBlindAuth,
  reserveBlindAuth,
} from './auth/blind-auth.ts'
import { recoverAll, startBackgroundWork } from './background-work.ts'
import type { MintContext } from './context/mint-context.ts'
import { type BackendRoute, createPaymentRouter } from './context/payment-router.ts'
import type { MintSettings } from './context/settings.ts'
import { KeysetRing } from './keysets/keyset-ring.ts'
import {
  AUTH_UNIT,
  ensureKeysets,
  type KeysetPlan,
  mirrorKeysets,
  rotateKeysets,
} from './keysets/keyset-setup.ts'
import { activeKeys, keysById, keysetList, keysetsWithNames } from './keysets/keyset-views.ts'
import { type MintKeys, signerOf } from './keysets/local-signer.ts'
import { mintMadeKey } from './keysets/mint-made-proofs.ts'
import type { Mint } from './mint.ts'
import { checkState } from './operations/check-state.ts'
import { claimHold, hold, settleHold } from './operations/holds.ts'
import { melt } from './operations/melt/melt.ts'
import { meltQuoteState } from './operations/melt/quote-state.ts'
import { mintEcash } from './operations/mint-ecash.ts'
import { credit } from './operations/operator-credit.ts'
import { redeem } from './operations/redeem.ts'
import { refund } from './operations/refund.ts'
import { restore } from './operations/restore.ts'
import { swap } from './operations/swap.ts'
import { type Clock, nowSeconds, systemClock } from './ports/clock.ts'
import type { MintEvent } from './ports/events.ts'
import type { Signer } from './ports/signer.ts'
import type { KeysetRecord, MintStore } from './ports/store.ts'
import { createListeners } from './primitives/listeners.ts'
import type { RateSource } from './primitives/prices.ts'
import { createMeltQuote } from './quotes/melt-quotes.ts'
import { createMintQuote, refreshMintQuote, toMintQuoteResponse } from './quotes/mint-quotes.ts'

export interface MintOptions {
  store: MintStore
  /** Which backend serves each payment method for each unit; one pair, one backend. */
  backends: readonly BackendRoute[]
  /** Lightning prices of units other than sat and msat (primitives/prices.ts). */
  rates?: RateSource
  /** Who holds the keys: the seed here (the default), or a signer in another process. */
  keys: MintKeys
  settings: MintSettings
  /** Keysets to create at start for units that have no active keyset yet. */
  keysets: KeysetPlan[]
  curve?: CurveBackend
  clock?: Clock
  onEvent?: (event: MintEvent) => void
  /** How often pending melts are re-checked; 0 disables the timer. Default 30 s. */
  recoveryIntervalMs?: number
}

/** The payment method a route means when it names none (NUT-23). */
const BOLT11 = 'bolt11'

export async function startMint(options: MintOptions): Promise<Mint> {
  const curve = options.curve ?? defaultCurveBackend()
  const clock = options.clock ?? systemClock
  const { store, settings } = options
  const withAliases = (plan: KeysetPlan): KeysetPlan => ({
    withV1Alias: settings.v1KeysetIds ?? false,
    ...plan,
  })
  const signer = signerOf(options.keys, { curve, store, clock, v1Aliases: settings.v1KeysetIds ?? false })
  await ensureKeysets(store, signer, plannedKeysets(options).map(withAliases), clock)
  const listeners = createListeners<MintEvent>()
  if (options.onEvent) listeners.add(options.onEvent)
  const loaded = await loadKeysets(store, signer, clock)
  const ctx: MintContext = {
    store,
    backends: createPaymentRouter(options.backends),
    rates: options.rates,
    curve,
    clock,
    signer,
    ring: loaded.ring,
    authRing: loaded.authRing,
    mintMadeKey: 'seed' in options.keys ? mintMadeKey(options.keys.seed) : options.keys.secret,
    settings,
    emit: listeners.emit,
    paying: new Set(),
  }
  let publicKey = loaded.publicKey
  const reloadKeysets = async () => {
    const reloaded = await loadKeysets(store, signer, clock)
    ctx.ring = reloaded.ring
    ctx.authRing = reloaded.authRing
    publicKey = reloaded.publicKey
  }
  // A rotation through another client of the same signer reaches this engine too.
  const unwatch = signer.watch?.(() => {
    reloadKeysets().then(
      () => ctx.emit({ kind: 'keysets' }),
      () => undefined,
    )
  })
  await recoverAll(ctx)
  const background = startBackgroundWork(ctx, options.recoveryIntervalMs ?? 30_000)
  return {
    get publicKey() {
      return publicKey
    },
    settings,
    subscribe: listeners.add,
    keys: (id) => (id === undefined ? activeKeys(ctx.ring) : keysById(ctx.ring, id)),
    keysets: () => keysetList(ctx.ring),
    keysetsWithNames: () => ({
      keysets: [...keysetsWithNames(ctx.ring), ...keysetsWithNames(ctx.authRing)],
    }),
    keysetOf(id) {
      const found = ctx.ring.find(id)
      return found ? { id: found.record.aliasOf ?? found.record.id, unit: found.record.unit } : undefined
    },
    swap: (request) => swap(ctx, request),
    createMintQuote: (request, method = BOLT11) => createMintQuote(ctx, method, request),
    getMintQuote: async (id, method) => toMintQuoteResponse(await refreshMintQuote(ctx, id, method)),
    checkMintQuotes: (ids, method) =>
      Promise.all(ids.map(async (id) => toMintQuoteResponse(await refreshMintQuote(ctx, id, method)))),
    mint: (request, method = BOLT11) =>
      mintEcash(ctx, method, {
        quotes: [request.quote],
        outputs: request.outputs,
        signatures: request.signature === undefined ? undefined : [request.signature],
      }),
    mintBatch: (request, method = BOLT11) => mintEcash(ctx, method, request),
    createMeltQuote: (request, method = BOLT11) => createMeltQuote(ctx, method, request),
    getMeltQuote: (id, method) => meltQuoteState(ctx, method, id),
    melt: (request, method = BOLT11) => melt(ctx, method, request),
    paymentRoutes: () =>
      ctx.backends.routes().map(({ method, unit, backend }) => ({
        method,
        unit,
        backend: backend.name,
        capabilities: backend.capabilities,
      })),
    checkState: (ys) => checkState(ctx, ys),
    restore: (outputs) => restore(ctx, outputs),
    recover: () => recoverAll(ctx),
    authKeys: (id) => (id === undefined ? activeKeys(ctx.authRing) : keysById(ctx.authRing, id)),
    authKeysets: () => keysetList(ctx.authRing),
    mintBlindAuth: (outputs, subject) => mintBlindAuthTokens(ctx, outputs, subject),
    reserveBlindAuth: (proof, request) => reserveBlindAuth(ctx, proof, request),
    finishBlindAuth: (reservation, succeeded) => finishBlindAuth(ctx, reservation, succeeded),
    recoverBlindAuth: () => recoverBlindAuth(ctx),
    credit: (request) => credit(ctx, request),
    redeem: (request) => redeem(ctx, request),
    refund: (request) => refund(ctx, request),
    hold: (request) => hold(ctx, request),
    settleHold: (request) => settleHold(ctx, request),
    claimHold: (request) => claimHold(ctx, request),
    async rotateKeyset(plan) {
      await rotateKeysets(store, signer, withAliases(plan), clock)
      await reloadKeysets()
      ctx.emit({ kind: 'keysets' })
      return keysetList(plan.unit === AUTH_UNIT ? ctx.authRing : ctx.ring)
    },
    reloadKeysets,
    async stop() {
      unwatch?.()
      await background.stop()
    },
  }
}

/** The configured keysets, and with blind auth the auth keyset (ensureKeysets shapes it). */
function plannedKeysets(options: MintOptions): KeysetPlan[] {
  const plans = [...options.keysets]
  if (options.settings.blindAuth && !plans.some((plan) => plan.unit === AUTH_UNIT))
    plans.push({ unit: AUTH_UNIT, inputFeePpk: 0n })
  return plans
}

/**
 * The ecash ring and the auth ring: the stored records with the signer's public keys (a remote
 * signer's keysets mirrored into the store first), and the mint's NUT-06 key.
 */
async function loadKeysets(
  store: MintStore,
  signer: Signer,
  clock: Clock,
): Promise<Pick<MintContext, 'ring' | 'authRing'> & { publicKey: string }> {
  const { publicKey, keysets } = await signer.keysets()
  if (signer.kind === 'remote') await mirrorKeysets(store, keysets, nowSeconds(clock))
  const keysById = new Map(
    keysets.map((k) => [k.id, new Map([...k.keys].map(([amount, hex]) => [amount, { publicKeyHex: hex }]))]),
  )
  const records = await store.listKeysets()
  const isAuth = (k: KeysetRecord) => k.unit === AUTH_UNIT
  const keysOf = (id: string) => keysById.get(id)
  return {
    publicKey,
    ring: new KeysetRing(
      records.filter((k) => !isAuth(k)),
      keysOf,
    ),
    authRing: new KeysetRing(records.filter(isAuth), keysOf),
  }
}
