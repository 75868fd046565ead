/**
 * The mint engine as its callers see it: every NUT operation, the operator's actions and the
 * engine's life cycle. The HTTP service and embedding applications work through this interface
 * only; startMint (start-mint.ts) builds it over the ports.
 */
import type { BlindedMessage } from '../protocol/schemas/nut00.ts'
import type { GetKeysetsResponse, GetKeysResponse, KeysetInfo } from '../protocol/schemas/nut01-02.ts'
import type { PostSwapRequest, PostSwapResponse } from '../protocol/schemas/nut03.ts'
import type {
  MintQuoteBolt11Response,
  PostMintBatchRequest,
  PostMintQuoteBolt11Request,
  PostMintRequest,
  PostMintResponse,
} from '../protocol/schemas/nut04-mint.ts'
import type {
  MeltQuoteBolt11Response,
  PostMeltQuoteBolt11Request,
  PostMeltRequest,
} from '../protocol/schemas/nut05-melt.ts'
import type { PostCheckStateResponse, PostRestoreResponse } from '../protocol/schemas/nut07-09.ts'
import type { AuthProof, PostAuthBlindMintResponse } from '../protocol/schemas/nut21-22.ts'
import type { AuthorizedRequest, BlindAuthRecoveryReport, BlindAuthReservation } from './auth/blind-auth.ts'
import type { MintSettings } from './context/settings.ts'
import type { KeysetPlan } from './keysets/keyset-setup.ts'
import type { Holding, HoldRequest, HoldSettlement } from './operations/holds.ts'
import type { RecoveryReport } from './operations/melt/recovery.ts'
import type { CreditRequest } from './operations/operator-credit.ts'
import type { RedeemRequest, Redemption } from './operations/redeem.ts'
import type { RefundRequest, RefundResult } from './operations/refund.ts'
import type { MintEvent } from './ports/events.ts'
import type { BackendCapabilities } from './ports/payment-backend.ts'
import type { IssuanceRecord } from './ports/store.ts'

/** A payment method and unit this mint serves, the backend serving it and what that backend can do. */
export interface PaymentRouteInfo {
  method: string
  unit: string
  backend: string
  capabilities: BackendCapabilities
}

/** A keyset as the operator sees it: once, with the `00` name it also answers to. */
export type NamedKeyset = KeysetInfo & { v1_id: string | null }

export interface Mint {
  /** NUT-06 `pubkey`: the signer's (derived from the seed), the same across restarts. */
  readonly publicKey: string
  /** The settings the engine was started with (NUT-06 info is made from them). */
  readonly settings: MintSettings
  /** Quote and proof state changes, after they are committed (NUT-17); returns the unsubscribe. */
  subscribe(listener: (event: MintEvent) => void): () => void

  /** NUT-01: the active keysets' keys, or any keyset's by any of its names. */
  keys(id?: string): GetKeysResponse
  /** NUT-02: every keyset, inactive ones too. */
  keysets(): GetKeysetsResponse
  /** For the operator: each keyset once, auth keysets too. */
  keysetsWithNames(): { keysets: NamedKeyset[] }
  /** The keyset any name of it (`01` id or `00` alias) refers to: its own id and unit. */
  keysetOf(id: string): { id: string; unit: string } | undefined

  /** NUT-03 */
  swap(request: PostSwapRequest): Promise<PostSwapResponse>
  /**
   * NUT-04: a quote, its state (asking the backend while unpaid), and minting it (NUT-20, NUT-29).
   * `method` is the payment method of the route (default `bolt11`); a quote of another method is
   * not found under it. Without a method, `getMintQuote` finds a quote of any.
   */
  createMintQuote(request: PostMintQuoteBolt11Request, method?: string): Promise<MintQuoteBolt11Response>
  getMintQuote(id: string, method?: string): Promise<MintQuoteBolt11Response>
  checkMintQuotes(ids: readonly string[], method?: string): Promise<MintQuoteBolt11Response[]>
  mint(request: PostMintRequest, method?: string): Promise<PostMintResponse>
  mintBatch(request: PostMintBatchRequest, method?: string): Promise<PostMintResponse>
  /** NUT-05: a quote, its state (a pending one checked with the backend first), and the melt. */
  createMeltQuote(request: PostMeltQuoteBolt11Request, method?: string): Promise<MeltQuoteBolt11Response>
  getMeltQuote(id: string, method?: string): Promise<MeltQuoteBolt11Response>
  melt(request: PostMeltRequest, method?: string): Promise<MeltQuoteBolt11Response>
  /** Which backend serves each payment method and unit, and what it can do (NUT-06 advertises it). */
  paymentRoutes(): PaymentRouteInfo[]
  /** NUT-07 */
  checkState(ys: readonly string[]): Promise<PostCheckStateResponse>
  /** NUT-09 */
  restore(outputs: readonly BlindedMessage[]): Promise<PostRestoreResponse>
  /** Finishes melts left pending (also runs at start and on a timer). */
  recover(): Promise<RecoveryReport>

  /** NUT-22: the auth keysets (GET /v1/auth/blind/keys, keysets, keys/{id}). */
  authKeys(id?: string): GetKeysResponse
  authKeysets(): GetKeysetsResponse
  /** NUT-22: BATs for a user the edge verified (NUT-21); counts per `subject` only. */
  mintBlindAuth(outputs: readonly BlindedMessage[], subject: string): Promise<PostAuthBlindMintResponse>
  /** NUT-22: verifies a BAT and reserves it for one request; finish it with the request's outcome. */
  reserveBlindAuth(proof: AuthProof, request: AuthorizedRequest): Promise<BlindAuthReservation>
  finishBlindAuth(reservation: BlindAuthReservation, succeeded: boolean): Promise<void>
  /** BATs a crash left PENDING: spent where their request took effect (also runs at start). */
  recoverBlindAuth(): Promise<BlindAuthRecoveryReport>

  /** Operator credit: a PAID quote for ecash paid for some other way (operator-credit.ts). */
  credit(request: CreditRequest): Promise<{ quote: MintQuoteBolt11Response; issuance: IssuanceRecord }>
  /** Accepts a token as payment of `amount`, once, with a receipt and change (redeem.ts). */
  redeem(request: RedeemRequest): Promise<Redemption>
  /** Gives a receipt's price (or part of it) back as new ecash, once per receipt (refund.ts). */
  refund(request: RefundRequest): Promise<RefundResult>
  /** Takes a token for the most a service may keep, until it settles (holds.ts). */
  hold(request: HoldRequest): Promise<Holding>
  /** Keeps part of a hold and gives the rest back, once. */
  settleHold(request: { holdId: string; keep: bigint }): Promise<HoldSettlement>
  /** The payer's claim of what a hold gave back, with the hold's claim secret. */
  claimHold(request: { holdId: string; secret: string }): Promise<HoldSettlement>
  /** A new active keyset for the unit; the old ones turn inactive but stay valid as inputs. */
  rotateKeyset(plan: KeysetPlan): Promise<GetKeysetsResponse>
  /** Re-reads the keysets from the store: another instance changed them. */
  reloadKeysets(): Promise<void>
  /** Stops the background work (settlements, recovery); the store stays open. */
  stop(): Promise<void>
}
