/** The commands that work on the database directly: `start`, `migrate`, `backup` and `restore`. */
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseJson, stringifyJson } from '@cashu-mint/core/protocol'
import type { Snapshot } from '@cashu-mint/storage'
import { databaseUrlOf, type ServerConfig } from '../../config/config.ts'
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

/** The secret a backup carries: the seed, or with a signer elsewhere the mint-made secret. */
const secretFileOf = (config: ServerConfig) => (config.CASHU_MINT_SIGNER ? 'mint-made-secret' : 'seed')

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
    // With a signer elsewhere the seed is the signer's to back up (its data folder); this mint has
    // the secret behind the ecash it makes itself.
    const secret = secretFileOf(config)
    await copyFile(join(config.CASHU_MINT_DATA_DIR, secret), join(out, secret))
    await chmod(join(out, secret), 0o600)
    return {
      result: { out, files: ['database.json', secret] },
      text: `backup in ${out} (database.json, ${secret})\nrestore: stop the mint, then cashu-mint restore ${out} --data-dir NEW_DIR (with DATABASE_URL of a new database, or PGlite in NEW_DIR)${config.CASHU_MINT_SIGNER ? `\nthe seed is the signer's (${config.CASHU_MINT_SIGNER}): back up its data folder too` : ''}`,
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
    const secret = secretFileOf(config)
    const backupSecret = (await readFile(join(from, secret), 'utf8')).trim()
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const existing = await readFile(join(dir, secret), 'utf8').then(
      (text) => text.trim(),
      () => undefined,
    )
    if (existing !== undefined && existing !== backupSecret)
      throw new Error(`${dir} already has another ${secret}: restore into a new data folder`)
    if (existing === undefined) {
      await copyFile(join(from, secret), join(dir, secret))
      await chmod(join(dir, secret), 0o600)
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
