/**
 * Taking over a stopped Nutshell or cdk-mintd mint: its database is read in one snapshot, checked
 * against this mint's seed and against its own books, and written into this mint's database in one
 * transaction (or, with `dryRun`, only read through and summed). An old mint still running (its
 * database open, or connected to) stops it before anything is read, and again before the commit.
 */
import type { CurveBackend } from '@cashu-mint/core/crypto'
import type { MintSeed } from '@cashu-mint/core/keys'
import type { ImportOutcome, OpenedStore } from '@cashu-mint/storage'
import { readCdk } from './cdk-source.ts'
import type { MintSource } from './mint-source.ts'
import { readNutshell } from './nutshell-source.ts'
import { openSourceDatabase, type SourceDatabase, SourceError, type SourceReader } from './source-database.ts'
import { type KeysetSummary, takeOver } from './take-over.ts'

export const SOURCE_KINDS = { nutshell: readNutshell, cdk: readCdk } as const
export type SourceKind = keyof typeof SOURCE_KINDS

export interface ImportReport {
  source: string
  where: string
  counts: Record<string, bigint>
  keysets: KeysetSummary[]
  pendingMelts: number
  /** Undefined for a dry run. */
  outcome?: ImportOutcome
}

async function drain(rows: AsyncIterable<readonly unknown[]>): Promise<void> {
  for await (const _ of rows) {
    // Read through: the mapping and the checks run on every row.
  }
}

async function assertStopped(db: SourceDatabase): Promise<void> {
  const users = await db.otherUsers()
  if (users) throw new SourceError(`the old mint is still running (${users}): stop it, then import`)
}

export async function importMint(options: {
  from: SourceKind
  source: string
  seed: MintSeed
  curve: CurveBackend
  now: bigint
  /** Where to write; undefined for a dry run. */
  store: OpenedStore | undefined
  merge: boolean
}): Promise<ImportReport> {
  const db = await openSourceDatabase(options.source)
  try {
    await assertStopped(db)
    return await db.snapshot(async (reader: SourceReader) => {
      const source: MintSource = await SOURCE_KINDS[options.from](reader)
      const plan = takeOver(source, {
        seed: options.seed,
        curve: options.curve,
        now: options.now,
        assertQuiet: () => assertStopped(db),
      })
      const report = {
        source: source.label,
        where: db.where,
        counts: source.counts,
        pendingMelts: source.pendingMelts.length,
      }
      if (!options.store) {
        for (const rows of [
          plan.data.mintQuotes,
          plan.data.meltQuotes,
          plan.data.proofs,
          plan.data.signatures,
        ])
          await drain(rows)
        await plan.data.books()
        return { ...report, keysets: plan.summary() }
      }
      const outcome = await options.store.importMint(plan.data, { merge: options.merge })
      return { ...report, keysets: plan.summary(), outcome }
    })
  } finally {
    await db.close()
  }
}
