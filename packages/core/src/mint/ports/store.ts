/**
 * The storage port: the records the engine keeps and the reads and writes it needs. packages/storage
 * implements it for PostgreSQL and PGlite; `@cashu-mint/core/testing` has the conformance suite.
 */
import type { MintQuoteState } from '../../protocol/schemas/nut04-mint.ts'
import type { MeltQuoteState } from '../../protocol/schemas/nut05-melt.ts'

export interface KeysetRecord {
  id: string
  unit: string
  derivationPath: string
  amountCount: number
  inputFeePpk: bigint
  finalExpiry: bigint | null
  active: boolean
  /** When several ids name the same keys (v1 alias of a v2 keyset), the id this one aliases. */
  aliasOf: string | null
  createdAt: bigint
}

export type StoredProofState = 'PENDING' | 'SPENT'

export interface ProofRecord {
  /** hash_to_curve(secret), compressed hex: the spent-secret key. */
  y: string
  keysetId: string
  amount: bigint
  secret: string
  C: string
  witness: string | null
  state: StoredProofState
  /** The swap or melt that spent or reserved it. */
  operationId: string
}

export interface SignatureRecord {
  B_: string
  keysetId: string
  amount: bigint
  C_: string
  dleqE: string
  dleqS: string
  operationId: string
}

export interface MintQuoteRecord {
  id: string
  /** NUT-04 payment method (`bolt11`). */
  method: string
  /** The backend that made its invoice (PaymentBackend.name); null for operator credit. */
  backend: string | null
  unit: string
  amount: bigint
  request: string
  /** Unique per credited invoice: the database refuses a second quote for the same payment. */
  paymentHash: string
  state: MintQuoteState
  expiry: bigint
  pubkey: string | null
  description: string | null
  /** The invoice amount; null for a quote the operator issued without an invoice. */
  amountMsat: bigint | null
  /** The Lightning price of the unit used for the invoice, "msat/per" (units.ts); null when issued. */
  rate: string | null
  createdAt: bigint
  paidAt: bigint | null
  issuedAt: bigint | null
}

export interface MeltQuoteRecord {
  id: string
  /** NUT-05 payment method (`bolt11`). */
  method: string
  /** The backend that pays it (PaymentBackend.name); null when the invoice is this mint's own. */
  backend: string | null
  unit: string
  request: string
  paymentHash: string
  /** What the wallet pays in the quote's unit, before fees. */
  amount: bigint
  feeReserve: bigint
  /** msat sent over Lightning (the MPP part when partial). */
  amountMsat: bigint
  /** The Lightning price of the unit the quote used, "msat/per" (units.ts). */
  rate: string
  state: MeltQuoteState
  expiry: bigint
  preimage: string | null
  /** Fee actually paid, in the unit, once PAID. */
  feePaid: bigint | null
  /** Set when the invoice is one of this mint's own mint quotes: settled in the database. */
  internalMintQuoteId: string | null
  createdAt: bigint
}

/** Operator issuance: ecash credited without a Lightning payment (card, voucher…), with its reference. */
export interface IssuanceRecord {
  /** The PAID mint quote the user mints with. */
  quoteId: string
  amount: bigint
  unit: string
  reference: string
  createdAt: bigint
}

/** A redemption: ecash a service accepted as payment, once per token. */
export interface ReceiptRecord {
  id: string
  /** sha256 of the redeemed proofs' sorted Ys: a token is redeemed once (unique). */
  tokenHash: string
  /** The caller's idempotency key: the same key and token get this receipt again. */
  key: string | null
  unit: string
  /** The price charged. */
  amount: bigint
  inputAmount: bigint
  /** NUT-02 input fee of the redeemed proofs. */
  fee: bigint
  change: bigint
  /** B_ of the change signatures, in order. */
  changeOutputs: string[]
  /** Whether the mint made the change proofs (no outputs given); their secrets derive from the seed. */
  changeByMint: boolean
  memo: string | null
  createdAt: bigint
}

/**
 * A hold: the receipt (same id) charged the most the service may keep; its refund, once, gives the
 * rest back and settles it. Unsettled at `expiresAt`, it settles by `onExpiry`: keep all, or return all.
 */
export interface HoldRecord {
  receiptId: string
  expiresAt: bigint
  onExpiry: 'keep' | 'return'
}

/** A redemption given back: ecash of the receipt's price, made by the mint, once per receipt. */
export interface RefundRecord {
  /** Also the operation id of its signatures. */
  id: string
  /** One refund per receipt (unique). */
  receiptId: string
  unit: string
  amount: bigint
  /** B_ of the refund's signatures (mint-made, secrets derived from the seed), in order. */
  outputs: string[]
  reason: string | null
  createdAt: bigint
}

/** NUT-22: a blind auth token presented for a request; PENDING while the request runs. */
export interface AuthProofRecord {
  y: string
  keysetId: string
  secret: string
  C: string
  state: 'PENDING' | 'SPENT'
  /** Method, path and parsed body hashed: the same request retried may present the spent BAT again. */
  requestKey: string
  /** `POST /v1/swap`: what the request was, for recovery. */
  endpoint: string
  /** Random, per reservation: only the request that reserved the BAT settles it. */
  reservation: string
  /**
   * While PENDING, what recovery reads to tell whether the request took effect (blind-auth.ts):
   * input Ys, output B_s or a quote id, as JSON; never a secret.
   */
  evidence: string | null
  createdAt: bigint
}

/** NUT-22: BATs minted for one OpenID subject (counts only: nothing links them to their use). */
export interface AuthIssuanceRecord {
  subject: string
  bats: bigint
  requests: bigint
  lastAt: bigint
}

export type MeltSagaState = 'PENDING' | 'PAID' | 'FAILED'

/** A melt in flight: written with the proof reservation, replayed by recovery until it ends. */
export interface MeltSagaRecord {
  id: string
  quoteId: string
  state: MeltSagaState
  /** Ys of the reserved inputs. */
  inputYs: string[]
  /** NUT-08 blank outputs for change. */
  outputs: { amount: bigint; id: string; B_: string }[]
  inputAmount: bigint
  inputFee: bigint
  createdAt: bigint
  updatedAt: bigint
}

/** Why a write was refused by a uniqueness constraint. */
export class StoreConflictError extends Error {
  readonly conflict: 'proof' | 'signature' | 'mint-quote-payment' | 'melt-payment' | 'receipt' | 'refund'
  constructor(conflict: StoreConflictError['conflict'], message: string) {
    super(message)
    this.name = 'StoreConflictError'
    this.conflict = conflict
  }
}

/** Reads and writes; in a transaction they all commit or none do. */
export interface MintStoreTx {
  insertKeyset(keyset: KeysetRecord): Promise<void>
  listKeysets(): Promise<KeysetRecord[]>
  setKeysetActive(id: string, active: boolean): Promise<void>

  /** Throws StoreConflictError('proof') if any Y is already stored. */
  insertProofs(proofs: readonly ProofRecord[]): Promise<void>
  findProofs(ys: readonly string[]): Promise<ProofRecord[]>
  markProofsSpent(ys: readonly string[], operationId: string): Promise<void>
  /** Removes PENDING proofs of a failed operation, releasing them. */
  deletePendingProofs(ys: readonly string[], operationId: string): Promise<void>

  /** Throws StoreConflictError('signature') if any B_ was already signed. */
  insertSignatures(signatures: readonly SignatureRecord[]): Promise<void>
  /**
   * A swap's write: the proofs and the signatures stored together, atomically on its own (no
   * transaction needed), or neither. Throws StoreConflictError('proof' or 'signature') naming what
   * was stored before.
   */
  recordSpend(proofs: readonly ProofRecord[], signatures: readonly SignatureRecord[]): Promise<void>
  findSignatures(blindedMessages: readonly string[]): Promise<SignatureRecord[]>

  /** Throws StoreConflictError('mint-quote-payment') if the payment hash is taken. */
  insertMintQuote(quote: MintQuoteRecord): Promise<void>
  /** Locks the row for the rest of the transaction. */
  getMintQuote(id: string, forUpdate?: boolean): Promise<MintQuoteRecord | undefined>
  getMintQuoteByPaymentHash(paymentHash: string): Promise<MintQuoteRecord | undefined>
  updateMintQuote(
    id: string,
    changes: Partial<Pick<MintQuoteRecord, 'state' | 'paidAt' | 'issuedAt'>>,
  ): Promise<void>
  listMintQuotes(filter: { state?: MintQuoteRecord['state']; limit?: number }): Promise<MintQuoteRecord[]>

  insertMeltQuote(quote: MeltQuoteRecord): Promise<void>
  getMeltQuote(id: string): Promise<MeltQuoteRecord | undefined>
  /**
   * Changes a quote that is in state `from` (any state without it), locking its row for the rest of
   * the transaction; false when it was not in that state, and nothing changed. Refuses to make it
   * PENDING or PAID while another quote for the same payment hash is: StoreConflictError('melt-payment').
   */
  updateMeltQuote(
    id: string,
    changes: Partial<Pick<MeltQuoteRecord, 'state' | 'preimage' | 'feePaid'>>,
    from?: MeltQuoteState,
  ): Promise<boolean>

  insertMeltSaga(saga: MeltSagaRecord): Promise<void>
  findMeltSaga(quoteId: string): Promise<MeltSagaRecord | undefined>
  updateMeltSaga(id: string, state: MeltSagaState, updatedAt: bigint): Promise<void>
  listUnfinishedMeltSagas(): Promise<MeltSagaRecord[]>

  insertIssuance(issuance: IssuanceRecord): Promise<void>
  listIssuances(filter: { limit?: number }): Promise<IssuanceRecord[]>

  /** Throws StoreConflictError('receipt') if the token was already redeemed. */
  insertReceipt(receipt: ReceiptRecord): Promise<void>
  findReceipt(tokenHash: string): Promise<ReceiptRecord | undefined>
  getReceipt(id: string): Promise<ReceiptRecord | undefined>
  /** Throws StoreConflictError('refund') if the receipt was already refunded. */
  insertRefund(refund: RefundRecord): Promise<void>
  findRefund(receiptId: string): Promise<RefundRecord | undefined>
  insertHold(hold: HoldRecord): Promise<void>
  getHold(receiptId: string): Promise<HoldRecord | undefined>
  /** Holds past their expiry and not settled (no refund), oldest first. */
  listExpiredHolds(now: bigint, limit: number): Promise<HoldRecord[]>

  /** NUT-22: stores a PENDING auth proof; when its Y is already stored, returns that row instead. */
  reserveAuthProof(proof: AuthProofRecord): Promise<AuthProofRecord | undefined>
  /**
   * Settles this reservation of the BAT (nothing if the row is no longer it): its request
   * succeeded, SPENT; failed, the PENDING row is deleted, so the BAT can be used again.
   */
  finishAuthProof(y: string, reservation: string, succeeded: boolean): Promise<void>
  listPendingAuthProofs(): Promise<AuthProofRecord[]>
  /**
   * Counts `bats` minted for `subject` unless the subject already made `perMinute` mint requests in
   * the current minute; false then, and nothing counted.
   */
  countAuthIssuance(subject: string, bats: bigint, now: bigint, perMinute: number): Promise<boolean>
  listAuthIssuance(): Promise<AuthIssuanceRecord[]>

  /** The last settlement position the engine has processed for a backend (see Settlement.position). */
  getSettlementPosition(backend: string): Promise<bigint | undefined>
  /** Records a processed position at `now` (Unix seconds); never moves an existing one backwards. */
  saveSettlementPosition(backend: string, position: bigint, now: bigint): Promise<void>
}

export interface MintStore extends MintStoreTx {
  transaction<T>(work: (tx: MintStoreTx) => Promise<T>): Promise<T>
  close(): Promise<void>
}
