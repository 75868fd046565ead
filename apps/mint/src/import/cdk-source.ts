/**
 * A cdk-mintd 0.18 mint's database (SQLite or PostgreSQL) as a MintSource. CDK keeps points as 33
 * raw bytes, spent and reserved proofs in one `proof` table (witnesses JSON-encoded twice), blind
 * signatures with their DLEQ, mint quote states as paid and issued amounts, melt requests as JSON,
 * a melt's Lightning fee among its completed operations, and per-keyset books in `keyset_amounts`.
 * Its schema is the set of migration files it applied: exactly 0.18.3's, or the import stops.
 */
import type { KeysetRecord, MeltQuoteRecord, MintQuoteRecord } from '@cashu-mint/core/mint'
import migrations from './cdk-mintd-migrations.json' with { type: 'json' }
import type {
  MintSource,
  SourceBook,
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
  textOrNull,
  truthy,
} from './source-rows.ts'

const BATCH = 5000

async function assertSchema(db: SourceReader): Promise<string> {
  const known: readonly string[] = migrations[db.engine]
  const rows = await db.all('select name from migrations').catch(() => {
    throw new SourceError('no cdk-mintd mint here: it has no migrations table')
  })
  const applied = rows.map((row) => String(row.name))
  const unknown = applied.filter((name) => !known.includes(name))
  if (unknown.length > 0)
    throw new SourceError(
      `cdk-mintd schema is newer than this importer knows (cdk-mintd 0.18.3): it has ${unknown.sort().at(-1)}`,
    )
  const missing = known.filter((name) => !applied.includes(name))
  if (missing.length > 0)
    throw new SourceError(
      `cdk-mintd schema is older than 0.18.3's (it lacks ${missing.sort().at(-1)}): upgrade cdk-mintd to 0.18.3, start and stop it once, then import`,
    )
  return `cdk-mintd 0.18 (${applied.length} migrations)`
}

/** CDK's witness column holds the witness JSON as a JSON string. */
function witnessOf(value: unknown): string | null {
  const text = textOrNull(value)
  if (text === null) return null
  try {
    const inner = JSON.parse(text) as unknown
    return typeof inner === 'string' ? inner : text
  } catch {
    return text
  }
}

const proofOf = (row: Row): SourceProof => ({
  y: pointHex(row.y),
  keysetId: String(row.keyset_id),
  amount: big(row.amount),
  secret: String(row.secret),
  C: pointHex(row.c),
  witness: witnessOf(row.witness),
  meltQuoteId: textOrNull(row.quote_id),
})

/** A melt's `request`: `{"Bolt11":{"bolt11":"lnbc…"}}`. */
function bolt11Of(request: unknown, quoteId: string): string {
  try {
    const parsed = JSON.parse(String(request)) as { Bolt11?: { bolt11?: string } }
    if (parsed.Bolt11?.bolt11) return parsed.Bolt11.bolt11
  } catch {
    // not JSON: below
  }
  throw new SourceError(`melt quote ${quoteId} is not a bolt11 melt: this importer takes bolt11 quotes only`)
}

function mintStateOf(row: Row): MintQuoteRecord['state'] {
  const paid = big(row.amount_paid)
  const issued = big(row.amount_issued)
  if (paid === 0n && issued === 0n) return 'UNPAID'
  return issued >= paid ? 'ISSUED' : 'PAID'
}

export async function readCdk(db: SourceReader): Promise<MintSource> {
  const label = await assertSchema(db)
  const unfinished = await db.all(
    `select operation_kind, state, quote_id from saga_state
       where not (operation_kind = 'melt' and state = 'payment_pending')`,
  )
  if (unfinished[0])
    throw new SourceError(
      `the old mint left a ${unfinished[0].operation_kind} unfinished (${unfinished[0].state}): start it once so it finishes, stop it, then import`,
    )
  const odd = await db.all(
    `select state, count(*) as n from proof where state not in ('SPENT', 'PENDING') group by state`,
  )
  if (odd[0])
    throw new SourceError(
      `the old mint has ${odd[0].n} proofs in state ${odd[0].state}: start it once, stop it, then import`,
    )
  const keysetRows = await db.all(
    'select id, unit, active, valid_from, valid_to, derivation_path, input_fee_ppk, amounts from keyset',
  )
  const keysets: KeysetRecord[] = keysetRows.map((row) => ({
    id: String(row.id),
    unit: String(row.unit),
    derivationPath: `m/${String(row.derivation_path).replace(/^m\//, '')}`,
    amountCount: amountCountOf(row.amounts, String(row.id)),
    inputFeePpk: bigOrNull(row.input_fee_ppk) ?? 0n,
    finalExpiry: bigOrNull(row.valid_to),
    active: truthy(row.active),
    aliasOf: null,
    createdAt: big(row.valid_from),
  }))
  const unitOf = new Map(keysets.map((k) => [k.id, k.unit]))
  const books: SourceBook[] = (
    await db.all('select keyset_id, total_issued, total_redeemed, fee_collected from keyset_amounts')
  ).map((row) => ({
    keysetId: String(row.keyset_id),
    unit: unitOf.get(String(row.keyset_id)) ?? '',
    fees: big(row.fee_collected),
    check: { issued: big(row.total_issued), redeemed: big(row.total_redeemed) },
  }))
  const pending = (
    await db.all(
      `select y, keyset_id, amount, secret, c, witness, quote_id from proof where state = 'PENDING'`,
    )
  ).map(proofOf)
  const requests = new Map(
    (await db.all('select quote_id, inputs_fee from melt_request')).map((row) => [
      String(row.quote_id),
      big(row.inputs_fee),
    ]),
  )
  const blanks = await db.all(
    'select blinded_message, keyset_id, amount, quote_id from blind_signature where c is null order by order_index',
  )
  const pendingMelts: SourcePendingMelt[] = (
    await db.all(`select id from melt_quote where state = 'PENDING'`)
  ).map((row) => {
    const quoteId = String(row.id)
    return {
      quoteId,
      inputs: pending.filter((proof) => proof.meltQuoteId === quoteId),
      outputs: blanks
        .filter((blank) => String(blank.quote_id) === quoteId)
        .map((blank) => ({
          B_: pointHex(blank.blinded_message),
          keysetId: String(blank.keyset_id),
          amount: big(blank.amount),
        })),
      inputFee: requests.get(quoteId),
    }
  })
  const orphan = pending.find((proof) => !pendingMelts.some((melt) => melt.quoteId === proof.meltQuoteId))
  if (orphan) throw new SourceError(`proof ${orphan.y} is reserved, but by no pending melt`)
  const counted = await db.all(
    `select (select count(*) from proof where state = 'SPENT') as spent_proofs,
       (select coalesce(sum(amount), 0) from proof where state = 'SPENT') as spent,
       (select count(*) from proof where state = 'PENDING') as pending_proofs,
       (select count(*) from blind_signature where c is not null) as signatures,
       (select coalesce(sum(amount), 0) from blind_signature where c is not null) as signed,
       (select count(*) from mint_quote) as mint_quotes,
       (select count(*) from melt_quote) as melt_quotes`,
  )
  const counts = Object.fromEntries(Object.entries(counted[0] ?? {}).map(([k, v]) => [k, big(v)]))
  return {
    label,
    backendName: 'cdk-mintd',
    fingerprint: fingerprintOf('cdk-mintd', {
      label,
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
          `select id, amount, unit, request, expiry, pubkey, created_time, amount_paid, amount_issued,
             payment_method from mint_quote`,
          BATCH,
        ),
        (row): MintQuoteRecord => {
          const id = String(row.id)
          const amount = bigOrNull(row.amount)
          if (amount === null)
            throw new SourceError(`mint quote ${id} has no amount: this importer takes bolt11 quotes only`)
          return mintQuoteFrom({
            id,
            method: String(row.payment_method),
            backend: 'cdk-mintd',
            unit: String(row.unit),
            amount,
            request: String(row.request),
            state: mintStateOf(row),
            expiry: big(row.expiry),
            pubkey: textOrNull(row.pubkey),
            createdAt: big(row.created_time),
            paidAt: null,
            issuedAt: null,
          })
        },
      ),
    meltQuotes: () =>
      mapped(
        db.batches(
          `select m.id, m.unit, m.amount, m.request, m.fee_reserve, m.expiry, m.state, m.payment_proof,
             m.created_time, m.payment_method,
             (select c.payment_fee from completed_operations c where c.operation_id =
               (select p.operation_id from proof p where p.quote_id = m.id limit 1)) as fee_paid
           from melt_quote m`,
          BATCH,
        ),
        (row): MeltQuoteRecord => meltQuoteOf(row),
      ),
    spentProofs: () =>
      mapped(
        db.batches(
          `select y, keyset_id, amount, secret, c, witness, quote_id from proof where state = 'SPENT'`,
          BATCH,
        ),
        proofOf,
      ),
    signatures: () =>
      mapped(
        db.batches(
          'select blinded_message, keyset_id, amount, c from blind_signature where c is not null',
          BATCH,
        ),
        (row): SourceSignature => ({
          B_: pointHex(row.blinded_message),
          keysetId: String(row.keyset_id),
          amount: big(row.amount),
          C_: pointHex(row.c),
        }),
      ),
  }
}

function meltQuoteOf(row: Row): MeltQuoteRecord {
  const id = String(row.id)
  return meltQuoteFrom({
    id,
    method: String(row.payment_method),
    backend: 'cdk-mintd',
    unit: String(row.unit),
    amount: big(row.amount),
    request: bolt11Of(row.request, id),
    feeReserve: big(row.fee_reserve),
    state: String(row.state),
    expiry: big(row.expiry),
    preimage: textOrNull(row.payment_proof),
    feePaid: bigOrNull(row.fee_paid),
    createdAt: big(row.created_time),
    // CDK settles a melt of its own invoice inside itself too; the quote's record says paid either way.
    internal: null,
  })
}
