/**
 * A Nutshell 0.21 mint's database (schema version 39, SQLite or PostgreSQL) as a MintSource.
 * Nutshell keeps points as hex, spent proofs in `proofs_used` (a melt's inputs with an empty C),
 * reserved ones in `proofs_pending`, signatures in `promises` (without DLEQ, which this mint
 * recomputes) and its books on each keyset (`balance`, `fees_paid`). Its PostgreSQL timestamps are
 * the Nutshell host's local time, read here as UTC.
 */
import type { KeysetRecord, MeltQuoteRecord, MintQuoteRecord } from '@cashu-mint/core/mint'
import type {
  MintSource,
  SourceBook,
  SourceOutput,
  SourcePendingMelt,
  SourceProof,
  SourceSignature,
} from './mint-source.ts'
import { type Row, SourceError, type SourceReader } from './source-database.ts'
import {
  amountCountOf,
  big,
  bigOrNull,
  fingerprintOf,
  mapped,
  meltQuoteFrom,
  mintQuoteFrom,
  pointHex,
  secondsOrNull,
  textOrNull,
  truthy,
} from './source-rows.ts'

/** The schema of Nutshell 0.21.0 (`dbversions`, db 'mint'). */
export const NUTSHELL_SCHEMA = 39n
const BATCH = 5000

const keysetOf = (row: Row, epoch: (value: unknown) => bigint | null): KeysetRecord => {
  const id = String(row.id)
  if (!/^0[01][0-9a-f]+$/.test(id))
    throw new SourceError(`keyset ${id} is a pre-0.15 Nutshell keyset: this mint cannot derive it`)
  const finalExpiry = bigOrNull(row.final_expiry)
  return {
    id,
    unit: String(row.unit),
    derivationPath: String(row.derivation_path),
    amountCount: amountCountOf(row.amounts, id),
    inputFeePpk: bigOrNull(row.input_fee_ppk) ?? 0n,
    // The management RPC gives rotated keysets 0: no expiry.
    finalExpiry: finalExpiry === 0n ? null : finalExpiry,
    active: truthy(row.active),
    aliasOf: null,
    createdAt: epoch(row.valid_from) ?? epoch(row.first_seen) ?? 0n,
  }
}

const proofOf = (row: Row): SourceProof => ({
  y: pointHex(row.y),
  keysetId: String(row.id),
  amount: big(row.amount),
  secret: String(row.secret),
  C: pointHex(row.c),
  witness: textOrNull(row.witness),
  meltQuoteId: textOrNull(row.melt_quote),
})

const signatureOf = (row: Row): SourceSignature => ({
  B_: pointHex(row.b_),
  keysetId: String(row.id),
  amount: big(row.amount),
  C_: pointHex(row.c_),
})

const outputOf = (row: Row): SourceOutput => ({
  B_: pointHex(row.b_),
  keysetId: String(row.id),
  amount: big(row.amount),
})

/** Nutshell's mint quote states; PENDING is a mint being signed, which its signatures settle. */
function mintStateOf(state: string, issued: boolean, id: string): MintQuoteRecord['state'] {
  if (state === 'UNPAID' || state === 'PAID' || state === 'ISSUED') return state
  if (state === 'PENDING') return issued ? 'ISSUED' : 'PAID'
  throw new SourceError(`mint quote ${id} is in a state this importer does not know: ${state}`)
}

export async function readNutshell(db: SourceReader): Promise<MintSource> {
  const versions = await db.all(`select version from dbversions where db = 'mint'`).catch(() => {
    throw new SourceError('no Nutshell mint here: it has no dbversions table')
  })
  const version = versions[0] ? big(versions[0].version) : undefined
  if (version === undefined) throw new SourceError('no Nutshell mint here: dbversions has no mint schema')
  if (version > NUTSHELL_SCHEMA)
    throw new SourceError(
      `Nutshell schema ${version} is newer than this importer knows (${NUTSHELL_SCHEMA}, Nutshell 0.21)`,
    )
  if (version < NUTSHELL_SCHEMA)
    throw new SourceError(
      `Nutshell schema ${version} is older than 0.21's (${NUTSHELL_SCHEMA}): upgrade Nutshell to 0.21, start and stop it once, then import`,
    )
  const epoch = secondsOrNull
  const ts = db.epoch
  const keysetRows = await db.all(
    `select id, derivation_path, seed, encrypted_seed, active, unit, input_fee_ppk, amounts, final_expiry,
       balance, fees_paid, ${ts('valid_from')} as valid_from, ${ts('first_seen')} as first_seen from keysets`,
  )
  const keysets = keysetRows.map((row) => keysetOf(row, epoch))
  const seeds = new Set(keysetRows.map((row) => textOrNull(row.seed)).filter((seed) => seed !== null))
  if (seeds.size > 1)
    throw new SourceError(
      'the keysets derive from different seeds: this mint has one seed, import them apart',
    )
  const books: SourceBook[] = keysetRows.map((row) => ({
    keysetId: String(row.id),
    unit: String(row.unit),
    fees: big(row.fees_paid),
    check: { balance: big(row.balance) },
  }))
  const pending = (
    await db.all('select amount, id, c, secret, y, witness, melt_quote from proofs_pending')
  ).map(proofOf)
  const stray = pending.find((proof) => proof.meltQuoteId === null)
  if (stray)
    throw new SourceError(
      `proof ${stray.y} is reserved by a swap the old mint did not finish: start it once so it finishes, stop it, then import`,
    )
  const pendingQuotes = (await db.all(`select quote from melt_quotes where state = 'PENDING'`)).map((row) =>
    String(row.quote),
  )
  const blanks = await db.all(
    'select amount, id, b_, melt_quote from promises where c_ is null and melt_quote is not null order by order_index',
  )
  const pendingMelts: SourcePendingMelt[] = pendingQuotes.map((quoteId) => ({
    quoteId,
    inputs: pending.filter((proof) => proof.meltQuoteId === quoteId),
    outputs: blanks.filter((row) => String(row.melt_quote) === quoteId).map(outputOf),
    inputFee: undefined,
  }))
  const orphan = pending.find((proof) => !pendingQuotes.includes(proof.meltQuoteId as string))
  if (orphan)
    throw new SourceError(`proof ${orphan.y} is reserved by melt ${orphan.meltQuoteId}, which is not pending`)
  const counted = await db.all(
    `select (select count(*) from proofs_used) as proofs_used,
       (select coalesce(sum(amount), 0) from proofs_used) as spent,
       (select count(*) from proofs_pending) as proofs_pending,
       (select count(*) from promises where c_ is not null) as promises,
       (select coalesce(sum(amount), 0) from promises where c_ is not null) as signed,
       (select count(*) from mint_quotes) as mint_quotes,
       (select count(*) from melt_quotes) as melt_quotes,
       (select count(*) from melt_quotes where state = 'PAID') as paid_melts`,
  )
  const counts = Object.fromEntries(Object.entries(counted[0] ?? {}).map(([k, v]) => [k, big(v)]))
  const issuedQuotes = new Set(
    (
      await db.all('select distinct mint_quote from promises where c_ is not null and mint_quote is not null')
    ).map((row) => String(row.mint_quote)),
  )
  return {
    label: `nutshell 0.21 (schema ${version})`,
    backendName: 'nutshell',
    fingerprint: fingerprintOf('nutshell', {
      version,
      counts,
      books,
      keysets: keysets.map((k) => [k.id, k.active]),
    }),
    keysets,
    books,
    pendingMelts,
    counts,
    mintQuotes: () =>
      mapped(
        db.batches(
          `select quote, method, request, unit, amount, state, pubkey, ${ts('created_time')} as created_time,
             ${ts('paid_time')} as paid_time, ${ts('issued_time')} as issued_time from mint_quotes`,
          BATCH,
        ),
        (row): MintQuoteRecord => {
          const id = String(row.quote)
          return mintQuoteFrom({
            id,
            method: String(row.method),
            backend: 'nutshell',
            unit: String(row.unit),
            amount: big(row.amount),
            request: String(row.request),
            state: mintStateOf(String(row.state), issuedQuotes.has(id), id),
            expiry: null,
            pubkey: textOrNull(row.pubkey),
            createdAt: epoch(row.created_time),
            paidAt: epoch(row.paid_time),
            issuedAt: epoch(row.issued_time),
          })
        },
      ),
    meltQuotes: () =>
      mapped(
        db.batches(
          // Nutshell settles a melt of its own invoice inside itself, finding the mint quote by request.
          `select m.quote, m.method, m.request, m.unit, m.amount, m.fee_reserve, m.state, m.proof, m.fee_paid,
             ${ts('m.created_time')} as created_time, ${ts('m.expiry')} as expiry,
             (select q.quote from mint_quotes q where q.request = m.request) as internal_quote
           from melt_quotes m`,
          BATCH,
        ),
        (row): MeltQuoteRecord => meltQuoteOf(row, epoch),
      ),
    spentProofs: () =>
      mapped(
        db.batches('select amount, id, c, secret, y, witness, melt_quote from proofs_used', BATCH),
        proofOf,
      ),
    signatures: () =>
      mapped(db.batches('select amount, id, b_, c_ from promises where c_ is not null', BATCH), signatureOf),
  }
}

const meltQuoteOf = (row: Row, epoch: (value: unknown) => bigint | null): MeltQuoteRecord =>
  meltQuoteFrom({
    id: String(row.quote),
    method: String(row.method),
    backend: 'nutshell',
    unit: String(row.unit),
    amount: big(row.amount),
    request: String(row.request),
    feeReserve: bigOrNull(row.fee_reserve) ?? 0n,
    state: String(row.state),
    expiry: epoch(row.expiry),
    preimage: textOrNull(row.proof),
    feePaid: bigOrNull(row.fee_paid),
    createdAt: epoch(row.created_time),
    internal: textOrNull(row.internal_quote),
  })
