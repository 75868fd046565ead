/**
 * The mint's tables. Double-spend protection lives here, in constraints the database enforces
 * whatever the application does: a proof's Y is a primary key (spent or reserved once), a blinded
 * message B_ is a primary key (signed once), a payment hash credits at most one mint quote, and at
 * most one melt quote per payment hash can be PENDING or PAID. Amounts are numeric(20) because u64
 * does not fit PostgreSQL's signed bigint.
 */
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  sql,
  text,
  uniqueIndex,
} from './drizzle.ts'

const u64 = (name: string) => numeric(name, { precision: 20, scale: 0, mode: 'bigint' })
const unixTime = (name: string) => bigint(name, { mode: 'bigint' })
/**
 * A point in hex (Y, B_), keyed byte by byte: the "C" collation compares with memcmp, where the
 * database's default (en_US.UTF-8, C.UTF-8 or ICU) goes through the locale's comparison on every
 * step of an index descent. Only equality matters for these keys.
 */
const hexKey = customType<{ data: string; driverData: string }>({ dataType: () => 'text COLLATE "C"' })

export const keysets = pgTable('keysets', {
  id: text('id').primaryKey(),
  unit: text('unit').notNull(),
  derivationPath: text('derivation_path').notNull(),
  amountCount: integer('amount_count').notNull(),
  inputFeePpk: u64('input_fee_ppk').notNull(),
  finalExpiry: unixTime('final_expiry'),
  active: boolean('active').notNull(),
  aliasOf: text('alias_of'),
  createdAt: unixTime('created_at').notNull(),
})

export const proofs = pgTable(
  'proofs',
  {
    y: hexKey('y').primaryKey(),
    keysetId: text('keyset_id').notNull(),
    amount: u64('amount').notNull(),
    secret: text('secret').notNull(),
    c: text('c').notNull(),
    witness: text('witness'),
    state: text('state', { enum: ['PENDING', 'SPENT'] }).notNull(),
    operationId: text('operation_id').notNull(),
  },
  // No index but the key, here or on blind_signatures: every query finds rows by Y or B_, and each
  // index more is 8 entries a swap (keyset_id: dropped in 0009, operation_id: in 0011).
)

export const blindSignatures = pgTable('blind_signatures', {
  b: hexKey('b_').primaryKey(),
  keysetId: text('keyset_id').notNull(),
  amount: u64('amount').notNull(),
  c: text('c_').notNull(),
  dleqE: text('dleq_e').notNull(),
  dleqS: text('dleq_s').notNull(),
  operationId: text('operation_id').notNull(),
})

/** An unbounded sum of u64 amounts. */
const total = (name: string) => numeric(name, { mode: 'bigint' }).notNull().default(sql`0`)

/**
 * Running totals for the operator's reports, so that they read a few rows instead of every proof
 * and signature (ledger-totals.ts). Each statement that stores signatures or spends proofs adds to
 * its own connection's row (`backend` is PostgreSQL's backend pid): concurrent writers never wait
 * for each other's row, and the report sums the rows.
 */
export const keysetTotals = pgTable(
  'keyset_totals',
  {
    keysetId: text('keyset_id').notNull(),
    backend: integer('backend').notNull(),
    /** Everything signed under this keyset id (blind_signatures). */
    signed: total('signed'),
    /** Everything spent under it (proofs in state SPENT). */
    spent: total('spent'),
  },
  (t) => [primaryKey({ columns: [t.keysetId, t.backend] })],
)

/** NUT-02 input fees earned by swaps (inputs minus outputs) and by redemptions (receipts), per unit. */
export const feeTotals = pgTable(
  'fee_totals',
  {
    unit: text('unit').notNull(),
    backend: integer('backend').notNull(),
    fees: total('fees'),
  },
  (t) => [primaryKey({ columns: [t.unit, t.backend] })],
)

export const mintQuotes = pgTable(
  'mint_quotes',
  {
    id: text('id').primaryKey(),
    method: text('method').notNull(),
    /** The payment backend that made the invoice (PaymentBackend.name); null for operator credit. */
    backend: text('backend'),
    unit: text('unit').notNull(),
    amount: u64('amount').notNull(),
    request: text('request').notNull(),
    paymentHash: text('payment_hash').notNull(),
    state: text('state', { enum: ['UNPAID', 'PAID', 'ISSUED'] }).notNull(),
    expiry: unixTime('expiry').notNull(),
    pubkey: text('pubkey'),
    description: text('description'),
    amountMsat: u64('amount_msat'),
    rate: text('rate'),
    createdAt: unixTime('created_at').notNull(),
    paidAt: unixTime('paid_at'),
    issuedAt: unixTime('issued_at'),
  },
  (t) => [
    uniqueIndex('mint_quotes_payment_hash_key').on(t.paymentHash),
    index('mint_quotes_state_idx').on(t.state),
  ],
)

export const meltQuotes = pgTable(
  'melt_quotes',
  {
    id: text('id').primaryKey(),
    method: text('method').notNull(),
    /** The payment backend that pays it (PaymentBackend.name); null for the mint's own invoices. */
    backend: text('backend'),
    unit: text('unit').notNull(),
    request: text('request').notNull(),
    paymentHash: text('payment_hash').notNull(),
    amount: u64('amount').notNull(),
    feeReserve: u64('fee_reserve').notNull(),
    amountMsat: u64('amount_msat').notNull(),
    rate: text('rate').notNull(),
    state: text('state', { enum: ['UNPAID', 'PENDING', 'PAID'] }).notNull(),
    expiry: unixTime('expiry').notNull(),
    preimage: text('preimage'),
    feePaid: u64('fee_paid'),
    internalMintQuoteId: text('internal_mint_quote_id'),
    createdAt: unixTime('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('melt_quotes_one_payment_key')
      .on(t.paymentHash)
      .where(sql`${t.state} in ('PENDING', 'PAID')`),
    index('melt_quotes_payment_hash_idx').on(t.paymentHash),
  ],
)

export const meltSagas = pgTable(
  'melt_sagas',
  {
    id: text('id').primaryKey(),
    quoteId: text('quote_id').notNull(),
    state: text('state', { enum: ['PENDING', 'PAID', 'FAILED'] }).notNull(),
    /** { inputYs, outputs, inputAmount, inputFee } with bigints as decimal strings. */
    data: jsonb('data').notNull(),
    createdAt: unixTime('created_at').notNull(),
    updatedAt: unixTime('updated_at').notNull(),
  },
  (t) => [index('melt_sagas_quote_idx').on(t.quoteId), index('melt_sagas_state_idx').on(t.state)],
)

/** NUT-19: responses to swap, mint and melt, replayed to a wallet that retries the same request. */
export const cachedResponses = pgTable(
  'cached_responses',
  {
    key: text('key').primaryKey(),
    status: integer('status').notNull(),
    body: text('body').notNull(),
    createdAt: unixTime('created_at').notNull(),
  },
  (t) => [index('cached_responses_created_idx').on(t.createdAt)],
)

/** Where each Lightning backend's settlement stream was last processed (LND's settle index). */
export const settlementPositions = pgTable('settlement_positions', {
  backend: text('backend').primaryKey(),
  position: u64('position').notNull(),
  updatedAt: unixTime('updated_at').notNull(),
})

/** Operator issuance: a PAID mint quote created without a payment, with the operator's reference. */
export const issuances = pgTable(
  'issuances',
  {
    quoteId: text('quote_id').primaryKey(),
    amount: u64('amount').notNull(),
    unit: text('unit').notNull(),
    reference: text('reference').notNull(),
    createdAt: unixTime('created_at').notNull(),
  },
  (t) => [index('issuances_created_idx').on(t.createdAt), index('issuances_reference_idx').on(t.reference)],
)

/** Redemptions of ecash as payment: one per token (unique token hash), with its change. */
export const receipts = pgTable(
  'receipts',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    key: text('key'),
    unit: text('unit').notNull(),
    amount: u64('amount').notNull(),
    inputAmount: u64('input_amount').notNull(),
    fee: u64('fee').notNull(),
    change: u64('change').notNull(),
    changeOutputs: jsonb('change_outputs').$type<string[]>().notNull(),
    changeByMint: boolean('change_by_mint').notNull().default(false),
    memo: text('memo'),
    createdAt: unixTime('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('receipts_token_hash_key').on(t.tokenHash),
    index('receipts_created_idx').on(t.createdAt),
  ],
)

/** Receipts given back: the price as ecash the mint made, one refund per receipt. */
/**
 * A hold: a receipt charged at the most a service may keep, settled once by a refund of what it
 * gives back (the refunds row, unique per receipt, is the settlement). Unsettled at `expires_at`,
 * it settles by `on_expiry`.
 */
export const holds = pgTable(
  'holds',
  {
    receiptId: text('receipt_id')
      .primaryKey()
      .references(() => receipts.id),
    expiresAt: unixTime('expires_at').notNull(),
    onExpiry: text('on_expiry', { enum: ['keep', 'return'] }).notNull(),
  },
  (t) => [index('holds_expires_idx').on(t.expiresAt)],
)

export const refunds = pgTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    receiptId: text('receipt_id')
      .notNull()
      .references(() => receipts.id),
    unit: text('unit').notNull(),
    amount: u64('amount').notNull(),
    outputs: jsonb('outputs').$type<string[]>().notNull(),
    reason: text('reason'),
    createdAt: unixTime('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('refunds_receipt_id_key').on(t.receiptId),
    index('refunds_created_idx').on(t.createdAt),
  ],
)

/** What the operator changed at run time (mint info, Lightning switches): shared by every instance. */
export const operatorSettings = pgTable('operator_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: unixTime('updated_at').notNull(),
})

/**
 * NUT-22 blind auth tokens presented in `Blind-auth` headers: PENDING while their request runs,
 * SPENT once it succeeded (a failed request deletes the row). While PENDING the row keeps what
 * recovery needs to tell, after a crash, whether the request took effect (Ys, B_s or a quote id:
 * never a secret), and the id of the reservation, so only its own request settles it.
 */
export const authProofs = pgTable(
  'auth_proofs',
  {
    y: hexKey('y').primaryKey(),
    keysetId: text('keyset_id').notNull(),
    secret: text('secret').notNull(),
    c: text('c').notNull(),
    state: text('state', { enum: ['PENDING', 'SPENT'] }).notNull(),
    /** sha256 of method, path and parsed body: a retry of the same request may reuse a spent BAT. */
    requestKey: text('request_key').notNull(),
    endpoint: text('endpoint').notNull(),
    reservation: text('reservation').notNull(),
    evidence: text('evidence'),
    createdAt: unixTime('created_at').notNull(),
  },
  (t) => [index('auth_proofs_pending_idx').on(t.createdAt).where(sql`${t.state} = 'PENDING'`)],
)

/** NUT-22 BATs minted per OpenID subject: counts only, and the current rate-limit window. */
export const authIssuance = pgTable('auth_issuance', {
  subject: text('subject').primaryKey(),
  bats: u64('bats').notNull(),
  requests: u64('requests').notNull(),
  windowStart: unixTime('window_start').notNull(),
  windowRequests: integer('window_requests').notNull(),
  lastAt: unixTime('last_at').notNull(),
})

/**
 * Mints taken over (`cashu-mint import`): one row per import, named by a fingerprint of the source
 * as it was read, so the same import run again finds it done.
 */
export const imports = pgTable(
  'imports',
  {
    id: text('id').primaryKey(),
    /** What was read: `nutshell 0.21 (schema 39)`, `cdk-mintd 0.18 (51 migrations)`. */
    source: text('source').notNull(),
    fingerprint: text('fingerprint').notNull(),
    /** Rows written per kind. */
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
    importedAt: unixTime('imported_at').notNull(),
  },
  (t) => [uniqueIndex('imports_fingerprint_key').on(t.fingerprint)],
)

/**
 * The books the old mint kept, per keyset, as of the import: what it had issued and redeemed (the
 * imported rows hold the same sums) and the input fees it had earned, which its rows cannot show
 * again; the fee recount adds them (migration 0014).
 */
export const importedBooks = pgTable(
  'imported_books',
  {
    importId: text('import_id')
      .notNull()
      .references(() => imports.id),
    keysetId: text('keyset_id').notNull(),
    unit: text('unit').notNull(),
    issued: numeric('issued', { mode: 'bigint' }).notNull(),
    redeemed: numeric('redeemed', { mode: 'bigint' }).notNull(),
    fees: numeric('fees', { mode: 'bigint' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.keysetId] })],
)
