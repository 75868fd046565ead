/**
 * Writes a mint taken over from another implementation (apps/mint's `cashu-mint import` reads it)
 * in one transaction: keysets, quotes, pending melts, spent and pending proofs, blind signatures and
 * the old mint's books. Proofs and signatures go through the same inserts the mint's own writes use,
 * so the running totals follow; the old mint's earned fees are added from its books. Nothing is
 * written when anything is refused: a database with activity (unless `merge`), a key that exists
 * already, a failure half-way. The same source imported again is found by its fingerprint and left
 * as it is.
 */
import type {
  KeysetRecord,
  MeltQuoteRecord,
  MeltSagaRecord,
  MintQuoteRecord,
  ProofRecord,
  SignatureRecord,
} from '@cashu-mint/core/mint'
import type { Db } from './db.ts'
import { eq, sql } from './drizzle.ts'
import { addToFeeTotals } from './ledger-totals.ts'
import { insertProofs } from './proof-repository.ts'
import { insertMeltSaga } from './saga-repository.ts'
import {
  blindSignatures,
  importedBooks,
  imports,
  keysets,
  meltQuotes,
  mintQuotes,
  proofs as proofsTable,
} from './schema.ts'
import { insertSignatures } from './signature-repository.ts'

/** Per keyset: what the old mint's own books said at the import. */
export interface ImportedBook {
  keysetId: string
  unit: string
  issued: bigint
  redeemed: bigint
  fees: bigint
}

export interface MintImport {
  id: string
  /** What was read, for the record: `nutshell 0.21 (schema 39)`. */
  source: string
  /** Names the source as it was read; the same again is an import already done. */
  fingerprint: string
  keysets: readonly KeysetRecord[]
  /** Every row kind below comes in batches, so a large spent set is never in memory at once. */
  mintQuotes: AsyncIterable<readonly MintQuoteRecord[]>
  meltQuotes: AsyncIterable<readonly MeltQuoteRecord[]>
  /** Melts the old mint left in flight, with their inputs among `proofs` as PENDING. */
  sagas: readonly MeltSagaRecord[]
  proofs: AsyncIterable<readonly ProofRecord[]>
  signatures: AsyncIterable<readonly SignatureRecord[]>
  /**
   * Called once every row is written, before the commit: what the old mint's books said, per
   * keyset; it throws (ImportRefusedError) when the rows do not add up to them, and nothing is kept.
   */
  books(): Promise<readonly ImportedBook[]>
  importedAt: bigint
}

export type ImportOutcome =
  | { status: 'imported'; counts: Record<string, number> }
  | { status: 'already-imported'; counts: Record<string, number>; importedAt: bigint }

export class ImportRefusedError extends Error {}

/** Tables whose rows show the mint has been used: an import goes into none of them unless merging. */
const ACTIVITY = [keysets, mintQuotes, meltQuotes, proofsTable, blindSignatures] as const

async function insertBatches<T>(
  batches: AsyncIterable<readonly T[]>,
  write: (rows: readonly T[]) => Promise<unknown>,
): Promise<number> {
  let written = 0
  for await (const rows of batches) {
    if (rows.length === 0) continue
    await write(rows)
    written += rows.length
  }
  return written
}

/** A key of the source that the database has already: the import would mix two mints' rows. */
function refuseCollision(error: unknown, what: string): never {
  const message = error instanceof Error ? error.message : String(error)
  throw new ImportRefusedError(`${what} already in this database (${message}): nothing was imported`)
}

export async function importMint(
  db: Db,
  data: MintImport,
  options: { merge: boolean },
): Promise<ImportOutcome> {
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db
    const [done] = await tx.select().from(imports).where(eq(imports.fingerprint, data.fingerprint))
    if (done) return { status: 'already-imported', counts: done.counts, importedAt: done.importedAt }
    if (!options.merge)
      for (const table of ACTIVITY) {
        const [row] = await tx.select({ n: sql<number>`count(*)` }).from(table)
        if (Number(row?.n ?? 0) > 0)
          throw new ImportRefusedError(
            'this database has keysets or activity already: import into a new one, or pass --merge to add a second mint to it',
          )
      }
    const counts: Record<string, number> = {}
    const existing = new Map((await tx.select().from(keysets)).map((k) => [k.id, k]))
    for (const keyset of data.keysets) {
      const stored = existing.get(keyset.id)
      if (stored && stored.derivationPath === keyset.derivationPath && stored.unit === keyset.unit) continue
      if (stored) throw new ImportRefusedError(`keyset ${keyset.id} is here already with other parameters`)
      await tx.insert(keysets).values(keyset)
    }
    counts.keysets = data.keysets.length
    counts.mint_quotes = await insertBatches(data.mintQuotes, (rows) =>
      tx
        .insert(mintQuotes)
        .values([...rows])
        .catch((error) => refuseCollision(error, 'a mint quote')),
    )
    counts.melt_quotes = await insertBatches(data.meltQuotes, (rows) =>
      tx
        .insert(meltQuotes)
        .values([...rows])
        .catch((error) => refuseCollision(error, 'a melt quote')),
    )
    for (const saga of data.sagas) await insertMeltSaga(tx, saga)
    counts.pending_melts = data.sagas.length
    counts.proofs = await insertBatches(data.proofs, (rows) =>
      insertProofs(tx, rows).catch((error) => refuseCollision(error, 'a spent or pending proof')),
    )
    counts.blind_signatures = await insertBatches(data.signatures, (rows) =>
      insertSignatures(tx, rows).catch((error) => refuseCollision(error, 'a blind signature')),
    )
    const books = await data.books()
    await tx.insert(imports).values({
      id: data.id,
      source: data.source,
      fingerprint: data.fingerprint,
      counts,
      importedAt: data.importedAt,
    })
    if (books.length > 0) {
      await tx.insert(importedBooks).values(books.map((book) => ({ ...book, importId: data.id })))
      // The fees the old mint earned join the running totals as its rows could not show them.
      await tx.execute(
        addToFeeTotals(
          sql`select unit, fees from ${importedBooks} where ${importedBooks.importId} = ${data.id}`,
        ),
      )
    }
    return { status: 'imported', counts }
  })
}
