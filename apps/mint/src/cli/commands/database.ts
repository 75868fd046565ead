/** The commands that work on the database directly: `start`, `migrate`, `backup` and `restore`. */
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseJson, stringifyJson } from '@cashu-mint/core/protocol'
import type { Snapshot } from '@cashu-mint/storage'
import { databaseUrlOf } from '../../config/config.ts'
import { type Command, optional, UsageError } from '../command.ts'

/** The store, loaded only by the commands that open the database, so the others start fast. */
async function openDatabase(url: string) {
  const { openStore } = await import('@cashu-mint/storage')
  return openStore({ url })
}

/** A database URL for messages: without its credentials. */
const withoutCredentials = (url: string) => (url.includes('://') ? url.replace(/\/\/[^@/]*@/, '//***@') : url)

export const start: Command = {
  name: 'start',
  summary: 'run the mint (same as scripts/start.sh without the setup)',
  description: 'Runs the mint with the current configuration.',
  async run() {
    await import('../../main.ts')
    return undefined
  },
}

export const migrate: Command = {
  name: 'migrate',
  summary: 'bring the database schema up to date',
  description: 'Applies pending database migrations (the mint also does at start).',
  async run({ config }) {
    const store = await openDatabase(databaseUrlOf(config))
    await store.close()
    return { result: { migrated: true }, text: 'the database schema is up to date' }
  },
}

export const backup: Command = {
  name: 'backup',
  summary: 'copy the database and the seed to a folder',
  usage: ['[--out DIR]'],
  description: `Writes DIR (default ./backup-<time>) with database.json (a consistent copy, taken while the
mint runs) and the seed. Keep it as safe as the seed itself.`,
  options: { out: { type: 'string', value: 'DIR', help: 'where to write the backup' } },
  async run({ values, config, admin }) {
    const snapshot = await admin('GET', '/v1/admin/backup')
    const out = resolve(optional(values, 'out') ?? `backup-${new Date().toISOString().replace(/[:.]/g, '-')}`)
    await mkdir(out, { recursive: true, mode: 0o700 })
    await writeFile(join(out, 'database.json'), stringifyJson(snapshot), { mode: 0o600 })
    await copyFile(join(config.CASHU_MINT_DATA_DIR, 'seed'), join(out, 'seed'))
    await chmod(join(out, 'seed'), 0o600)
    return {
      result: { out, files: ['database.json', 'seed'] },
      text: `backup in ${out} (database.json, seed)\nrestore: stop the mint, then cashu-mint restore ${out} --data-dir NEW_DIR (with DATABASE_URL of a new database, or PGlite in NEW_DIR)`,
    }
  },
}

export const restore: Command = {
  name: 'restore',
  args: '<folder>',
  summary: 'fill a new database from a backup',
  usage: ['BACKUP_DIR [--data-dir DIR]'],
  description: `With the mint stopped: copies the seed into DIR and fills the configured database (which must
be new) from BACKUP_DIR/database.json. Then start the mint.`,
  options: { 'data-dir': { type: 'string', value: 'DIR', help: 'the new data folder' } },
  async run({ sub: from, values, config }) {
    if (!from) throw new UsageError('which backup? cashu-mint restore BACKUP_DIR')
    const dir = resolve(optional(values, 'data-dir') ?? config.CASHU_MINT_DATA_DIR)
    const snapshot = parseJson(await readFile(join(from, 'database.json'), 'utf8')) as Snapshot
    const backupSeed = (await readFile(join(from, 'seed'), 'utf8')).trim()
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const existing = await readFile(join(dir, 'seed'), 'utf8').then(
      (seed) => seed.trim(),
      () => undefined,
    )
    if (existing !== undefined && existing !== backupSeed)
      throw new Error(`${dir} already has another seed: restore into a new data folder`)
    if (existing === undefined) {
      await copyFile(join(from, 'seed'), join(dir, 'seed'))
      await chmod(join(dir, 'seed'), 0o600)
    }
    const url = databaseUrlOf({ ...config, CASHU_MINT_DATA_DIR: dir })
    const store = await openDatabase(url)
    try {
      const counts = await store.restoreSnapshot(snapshot)
      const rows = Object.entries(counts).map(([t, n]) => `${n} ${t}`)
      return {
        result: { data_dir: dir, rows: counts },
        text: `restored ${rows.join(', ')}\ninto ${withoutCredentials(url)}; start the mint.`,
      }
    } finally {
      await store.close()
    }
  },
}
