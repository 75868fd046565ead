/**
 * The operator's figures, computed from the records the mint keeps anyway, so every instance and
 * the CLI see the same numbers:
 *
 * - outstanding ecash per keyset: everything signed (blind_signatures) minus everything spent
 *   (proofs in state SPENT). Reserved (PENDING) proofs are still outstanding.
 * - fees earned per unit: NUT-02 input fees of swaps (inputs minus outputs), of paid melts (recorded
 *   on the saga) and of redemptions (recorded on the receipt). The unused Lightning fee reserve is
 *   not income: it goes back as change.
 * Both read the running totals that every write keeps beside its rows (ledger-totals.ts), not the
 * rows themselves, so they cost the same at 10M spent proofs as at none.
 * - issuance and redemption over time, per hour and unit: amounts minted (NUT-04, by the time they
 *   were issued) or given back as refunds, against amounts that left as melts or were redeemed as
 *   payment.
 * - recent quotes, one quote with its melt saga, and melts still waiting for their payment's outcome.
 * - holds per unit: held now, and of the settled ones kept and returned.
 * - NUT-22 BATs minted per user (counts, never what they were spent on).
 * - search: the quotes and operator issuances an id, a payment hash or an issuance reference names.
 */
import type {
  AuthIssuanceRecord,
  MeltQuoteRecord,
  MeltSagaRecord,
  MintQuoteRecord,
} from '@cashu-mint/core/mint'
import { listAuthIssuance } from './auth-repository.ts'
import { bigintOf as big, type Db, rowsOf } from './db.ts'
import { desc, sql } from './drizzle.ts'
import { correctLedgerTotals, type LedgerDrift, ledgerDrift } from './ledger-totals.ts'
import { getMeltQuote, getMintQuote, listMintQuotes } from './quote-repository.ts'
import { findMeltSaga } from './saga-repository.ts'
import { meltQuotes } from './schema.ts'

export interface KeysetBalance {
  keysetId: string
  unit: string
  active: boolean
  issued: bigint
  redeemed: bigint
  outstanding: bigint
}

export interface UnitFlow {
  /** Unix seconds at the start of the hour. */
  hour: bigint
  unit: string
  issued: bigint
  redeemed: bigint
}

/** A quote or operator issuance found by `search`. */
export interface SearchHit {
  kind: 'mint' | 'melt' | 'issuance'
  /** The quote id (an issuance is a PAID mint quote: its id). */
  id: string
  unit: string
  amount: bigint
  state: string
  paymentHash: string | null
  reference: string | null
  createdAt: bigint
}

/** One quote by id, as the operator sees it: a melt with its saga. */
export type QuoteDetail =
  | ({ kind: 'mint' } & MintQuoteRecord)
  | ({ kind: 'melt'; saga: MeltSagaRecord | null } & MeltQuoteRecord)

export interface HoldTotals {
  held: bigint
  kept: bigint
  returned: bigint
}

export interface Reports {
  /** Exact quote id or payment hash; an issuance reference exactly or by its beginning. At most 20. */
  search(text: string): Promise<SearchHit[]>
  balances(): Promise<KeysetBalance[]>
  recentMeltQuotes(limit: number): Promise<MeltQuoteRecord[]>
  recentMintQuotes(limit: number): Promise<MintQuoteRecord[]>
  /** A mint or melt quote by id. */
  quote(id: string): Promise<QuoteDetail | undefined>
  /** NUT-22: BATs minted per OpenID subject (counts only). */
  authUsers(): Promise<AuthIssuanceRecord[]>
  feesEarned(): Promise<Record<string, bigint>>
  /** Holds per unit: what is held now, and of the settled ones what was kept and what went back. */
  holds(): Promise<Record<string, HoldTotals>>
  flows(sinceSeconds: bigint): Promise<UnitFlow[]>
  pendingMelts(): Promise<number>
  /** How far the running totals that balances and fees read are from a recount of the rows. */
  ledgerDrift(): Promise<LedgerDrift>
  /** Adds that drift to the totals, so they agree with the rows again; returns what it added. */
  correctLedgerTotals(): Promise<LedgerDrift>
}

export function createReports(db: Db): Reports {
  return {
    async balances() {
      // The running totals (ledger-totals.ts), summed by the keyset each name stands for: a keyset's
      // `00` alias is the same keyset, so what was signed or spent under either name counts for it.
      const result = await db.execute(sql`
        with totals as (
          select coalesce(n.alias_of, n.id) as keyset_id, sum(t.signed) as signed, sum(t.spent) as spent
          from keyset_totals t join keysets n on n.id = t.keyset_id group by 1)
        select k.id, k.unit, k.active, coalesce(t.signed, 0) as issued, coalesce(t.spent, 0) as redeemed
        from keysets k left join totals t on t.keyset_id = k.id
        where k.alias_of is null and k.unit <> 'auth' order by k.unit, k.created_at`)
      return rowsOf(result).map((r) => ({
        keysetId: String(r.id),
        unit: String(r.unit),
        active: Boolean(r.active),
        issued: big(r.issued),
        redeemed: big(r.redeemed),
        outstanding: big(r.issued) - big(r.redeemed),
      }))
    },
    async holds() {
      const result = await db.execute(sql`
        select r.unit,
          coalesce(sum(r.amount) filter (where f.id is null), 0) as held,
          coalesce(sum(r.amount - f.amount) filter (where f.id is not null), 0) as kept,
          coalesce(sum(f.amount), 0) as returned
        from holds h join receipts r on r.id = h.receipt_id left join refunds f on f.receipt_id = h.receipt_id
        group by r.unit`)
      return Object.fromEntries(
        rowsOf(result).map((r) => [
          String(r.unit),
          { held: big(r.held), kept: big(r.kept), returned: big(r.returned) },
        ]),
      )
    },
    async feesEarned() {
      // Swaps and redemptions from the running totals; paid melts from their sagas, one row a melt.
      const result = await db.execute(sql`
        select unit, sum(fee) as fee from (
          select unit, fees as fee from fee_totals
          union all
          select q.unit, (s.data->>'inputFee')::numeric
          from melt_sagas s join melt_quotes q on q.id = s.quote_id where s.state = 'PAID') f
        group by unit`)
      return Object.fromEntries(rowsOf(result).map((r) => [String(r.unit), big(r.fee)]))
    },
    async flows(sinceSeconds) {
      const result = await db.execute(sql`
        with issued as (
          select (q.issued_at / 3600) * 3600 as hour, q.unit, sum(q.amount) as amount
          from mint_quotes q where q.state = 'ISSUED' and q.issued_at >= ${sinceSeconds} group by 1, 2
          union all
          select (f.created_at / 3600) * 3600 as hour, f.unit, sum(f.amount) as amount
          from refunds f where f.created_at >= ${sinceSeconds} group by 1, 2),
        redeemed as (
          select (r.created_at / 3600) * 3600 as hour, r.unit, sum(r.amount) as amount
          from receipts r where r.created_at >= ${sinceSeconds} group by 1, 2
          union all
          select (q.created_at / 3600) * 3600 as hour, q.unit, sum(q.amount) as amount
          from melt_quotes q where q.state = 'PAID' and q.created_at >= ${sinceSeconds} group by 1, 2)
        select hour, unit, sum(issued) as issued, sum(redeemed) as redeemed from (
          select hour, unit, amount as issued, 0 as redeemed from issued
          union all select hour, unit, 0, amount from redeemed) f
        group by hour, unit order by hour, unit`)
      return rowsOf(result).map((r) => ({
        hour: big(r.hour),
        unit: String(r.unit),
        issued: big(r.issued),
        redeemed: big(r.redeemed),
      }))
    },
    async recentMeltQuotes(limit) {
      return db.select().from(meltQuotes).orderBy(desc(meltQuotes.createdAt)).limit(limit)
    },
    recentMintQuotes: (limit) => listMintQuotes(db, { limit }),
    async quote(id) {
      const [mintQuote, meltQuote] = await Promise.all([getMintQuote(db, id), getMeltQuote(db, id)])
      if (mintQuote) return { kind: 'mint', ...mintQuote }
      if (meltQuote) return { kind: 'melt', ...meltQuote, saga: (await findMeltSaga(db, id)) ?? null }
      return undefined
    },
    authUsers: () => listAuthIssuance(db),
    async search(text) {
      const prefix = `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      const result = await db.execute(sql`
        select 'mint' as kind, q.id, q.unit, q.amount, q.state, q.payment_hash, i.reference, q.created_at
        from mint_quotes q left join issuances i on i.quote_id = q.id
        where q.id = ${text} or q.payment_hash = ${text}
        union all
        select 'melt', id, unit, amount, state, payment_hash, null, created_at
        from melt_quotes where id = ${text} or payment_hash = ${text}
        union all
        select 'issuance', i.quote_id, i.unit, i.amount, q.state, null, i.reference, i.created_at
        from issuances i join mint_quotes q on q.id = i.quote_id
        where i.reference like ${prefix}
        order by created_at desc limit 20`)
      return rowsOf(result).map((r) => ({
        kind: r.kind as SearchHit['kind'],
        id: String(r.id),
        unit: String(r.unit),
        amount: big(r.amount),
        state: String(r.state),
        paymentHash: r.payment_hash === null ? null : String(r.payment_hash),
        reference: r.reference === null ? null : String(r.reference),
        createdAt: big(r.created_at),
      }))
    },
    ledgerDrift: () => ledgerDrift(db),
    correctLedgerTotals: () => correctLedgerTotals(db),
    async pendingMelts() {
      const result = await db.execute(sql`select count(*) as n from melt_sagas where state = 'PENDING'`)
      return Number(rowsOf(result)[0]?.n ?? 0)
    },
  }
}
