/** `cashu-mint import`: take over a stopped Nutshell or cdk-mintd mint (src/import/). */
import { defaultCurveBackend } from '@cashu-mint/core/crypto'
import { databaseUrlOf } from '../../config/config.ts'
import { parseSeed, readSecret } from '../../config/secret-file.ts'
import { type ImportReport, importMint, SOURCE_KINDS, type SourceKind } from '../../import/import-mint.ts'
import { type Command, required, table, UsageError } from '../command.ts'

const short = (id: string) => (id.length > 18 ? `${id.slice(0, 10)}…${id.slice(-6)}` : id)

function describe(report: ImportReport, dryRun: boolean): string {
  const rows = report.keysets.map((k) => ({
    keyset: short(k.keysetId),
    unit: k.unit,
    active: k.active ? 'yes' : '',
    signatures: k.tally.signatures,
    signed: k.tally.signed,
    proofs: k.tally.proofs,
    spent: k.tally.spent,
    reserved: k.tally.pending,
    'outstanding (old books)': k.outstandingBefore,
    'outstanding (here)': k.outstandingAfter,
    fees: k.fees,
  }))
  const counts = Object.entries(report.counts).map(([name, n]) => `${name} ${n}`)
  const outcome = report.outcome
  const verdict = dryRun
    ? 'dry run: nothing written. Every keyset derives from this seed, every signature is its key, and the rows add up to the old books.'
    : outcome?.status === 'already-imported'
      ? `already imported (at ${new Date(Number(outcome.importedAt) * 1000).toISOString()}): nothing to do`
      : `imported: ${Object.entries(outcome?.counts ?? {})
          .map(([name, n]) => `${n} ${name}`)
          .join(', ')}. Start this mint on the old mint's URL.`
  return [
    `${report.source} at ${report.where}`,
    `rows: ${counts.join(', ')}; melts in flight: ${report.pendingMelts}`,
    '',
    table(rows, Object.keys(rows[0] ?? { keyset: '' })),
    '',
    verdict,
  ].join('\n')
}

export const importCommand: Command = {
  name: 'import',
  summary: 'take over a stopped Nutshell or cdk-mintd mint: keysets, spent set, signatures, quotes',
  usage: ['--from nutshell|cdk --source SQLITE_FILE|postgres://… [--dry-run] [--merge]'],
  description: `With both mints stopped, reads the old mint's database (Nutshell 0.21 or cdk-mintd 0.18, SQLite or
PostgreSQL) and writes it into this mint's (CASHU_MINT_DATA_DIR, DATABASE_URL) in one transaction:
keysets, spent and reserved proofs, blind signatures, mint and melt quotes, melts in flight and the
old books. Every keyset must derive from this mint's seed (cashu-mint init --seed-from FILE first),
every signature must be its key's, and the rows must add up to the old mint's books, or nothing is
written. Into a database that has been used, only with --merge; the same import again does nothing.
--dry-run reads and checks everything and prints the figures, writing nothing. See docs/migration.md.`,
  options: {
    from: { type: 'string', value: 'nutshell|cdk', help: 'what the old mint is' },
    source: { type: 'string', value: 'FILE|URL', help: 'its SQLite file or PostgreSQL URL' },
    'dry-run': { type: 'boolean', help: 'read and check, write nothing' },
    merge: { type: 'boolean', help: 'import into a database that has keysets or activity already' },
  },
  async run({ values, config }) {
    const from = required(values, 'from')
    if (!(from in SOURCE_KINDS)) throw new UsageError('--from is nutshell or cdk')
    const source = required(values, 'source')
    const seed = parseSeed(await readSecret(config.CASHU_MINT_DATA_DIR, 'seed'))
    const dryRun = values['dry-run'] === true
    const { openStore } = await import('@cashu-mint/storage')
    const store = dryRun ? undefined : await openStore({ url: databaseUrlOf(config) })
    try {
      const report = await importMint({
        from: from as SourceKind,
        source,
        seed,
        curve: defaultCurveBackend(),
        now: BigInt(Math.floor(Date.now() / 1000)),
        store,
        merge: values.merge === true,
      })
      return { result: report, text: describe(report, dryRun) }
    } finally {
      await store?.close()
    }
  },
}
