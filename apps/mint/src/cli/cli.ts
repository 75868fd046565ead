#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=40 --expose-gc --liftoff-only
/**
 * `cashu-mint`: the operator's command line. It reads the same configuration as the service
 * (CASHU_MINT_* and CASHU_MINT_CONFIG_FILE). `init`, `start`, `migrate` and `restore` work on the
 * data folder and database directly; everything else talks to the running mint's admin listener,
 * so it works with PGlite (one process) as with PostgreSQL, and every instance sees the change.
 */
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parseJson, stringifyJson } from '@cashu-mint/core/protocol'
import type { Snapshot } from '@cashu-mint/storage'
import { databaseUrlOf, loadConfig, type ServerConfig } from '../config/config.ts'
import { loadOrCreateSecret, readSecret } from '../config/secret-file.ts'

class UsageError extends Error {}

const HELP: Record<string, string> = {
  '': `cashu-mint <command> [options]

  init                      create the data folder: seed, admin token, config file
  start                     run the mint (same as scripts/start.sh without the setup)
  migrate                   bring the database schema up to date
  keysets list|rotate       show keysets; start a new one for a unit
  info set                  change the name, description, contact, motd, icon, terms, urls
  mint enable|disable       switch Lightning top-ups for a unit
  melt enable|disable       switch Lightning cash-outs for a unit
  auth status|enable|disable  NUT-21/22 access control and BATs minted per user
  issue                     credit a user who paid some other way
  refund <receipt-id>       give a redeemed payment back as a token
  balance [check|recount]   outstanding ecash, Lightning balance, fees, pending melts
  quotes list|show          recent mint and melt quotes
  backup                    copy the database and the seed to a folder
  restore <folder>          fill a new database from a backup

Every command takes --help and --json. Configuration comes from the environment and
CASHU_MINT_CONFIG_FILE, as for the service.`,
  init: `cashu-mint init [--data-dir DIR] [--json]
  Creates DIR (default: CASHU_MINT_DATA_DIR or ./data) with a random seed, an admin token and a
  mint.env config file, each readable by you only. Back up the seed: every keyset derives from it.`,
  start: 'cashu-mint start\n  Runs the mint with the current configuration.',
  migrate:
    'cashu-mint migrate [--json]\n  Applies pending database migrations (the mint also does at start).',
  keysets: `cashu-mint keysets list [--json]
cashu-mint keysets rotate --unit UNIT [--fee PPK] [--expiry UNIX_SECONDS] [--json]
  Rotation makes a new active keyset for the unit; older ones stay valid as inputs.`,
  info: `cashu-mint info set [--name N] [--description D] [--long-description D] [--motd M]
                    [--contact METHOD:INFO ...] [--icon URL] [--tos URL] [--url URL ...] [--json]`,
  mint: 'cashu-mint mint enable|disable --unit UNIT [--json]\n  Lightning top-ups (NUT-04 quotes) for the unit.',
  melt: 'cashu-mint melt enable|disable --unit UNIT [--json]\n  Lightning cash-outs (NUT-05) for the unit.',
  auth: `cashu-mint auth status|enable|disable [--json]
  Access control (NUT-21 clear auth, NUT-22 blind auth) as configured with
  CASHU_MINT_AUTH_OPENID_DISCOVERY; status lists the protected endpoints and the BATs minted per
  OpenID subject (counts only). disable lets anyone use every endpoint until enabled again.`,
  issue: `cashu-mint issue --amount N --unit UNIT --reference TEXT [--pubkey HEX] [--json]
  Prints a quote id the user mints with any wallet (NUT-04).`,
  refund: `cashu-mint refund RECEIPT_ID [--reason TEXT] [--json]
  Prints a token worth the receipt's price, for the payer (X-Cashu-Receipt of a paywall answer).
  A receipt is refunded once: asking again prints the same token.`,
  balance: `cashu-mint balance [--json]
cashu-mint balance check|recount [--json]
  check compares the running totals the balance reads with a recount of every stored row; recount
  adds what differs to the totals. They differ only if an instance of a version before migration
  0010 wrote beside a newer one (docs/operator.md, "Upgrading"). Both run while the mint serves.`,
  quotes:
    'cashu-mint quotes list [--kind mint|melt] [--limit N] [--json]\ncashu-mint quotes show ID [--json]',
  backup: `cashu-mint backup [--out DIR] [--json]
  Writes DIR (default ./backup-<time>) with database.json (a consistent copy, taken while the
  mint runs) and the seed. Keep it as safe as the seed itself.`,
  restore: `cashu-mint restore BACKUP_DIR [--data-dir DIR] [--json]
  With the mint stopped: copies the seed into DIR and fills the configured database (which must
  be new) from BACKUP_DIR/database.json. Then start the mint.`,
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  'data-dir': { type: 'string' },
  unit: { type: 'string' },
  fee: { type: 'string' },
  expiry: { type: 'string' },
  amount: { type: 'string' },
  reference: { type: 'string' },
  reason: { type: 'string' },
  pubkey: { type: 'string' },
  name: { type: 'string' },
  description: { type: 'string' },
  'long-description': { type: 'string' },
  motd: { type: 'string' },
  contact: { type: 'string', multiple: true },
  icon: { type: 'string' },
  tos: { type: 'string' },
  url: { type: 'string', multiple: true },
  kind: { type: 'string' },
  limit: { type: 'string' },
  out: { type: 'string' },
} as const

/** GET /v1/admin/balance/drift's answer. */
interface Drift {
  agrees: boolean
  keysets: { keyset_id: string; signed: bigint; spent: bigint }[]
  fees: { unit: string; fees: bigint }[]
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values']

function required(values: Values, name: 'unit' | 'amount' | 'reference'): string {
  const value = values[name]
  if (!value) throw new UsageError(`--${name} is required`)
  return value
}

function whole(text: string, name: string): bigint {
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`--${name} must be a whole number`)
  return BigInt(text)
}

/** The running mint's admin API. */
async function admin(config: ServerConfig, method: string, path: string, body?: unknown): Promise<unknown> {
  const token = config.CASHU_MINT_ADMIN_TOKEN ?? (await readSecret(config.CASHU_MINT_DATA_DIR, 'admin-token'))
  const url = `http://${config.CASHU_MINT_ADMIN_HOST}:${config.CASHU_MINT_ADMIN_PORT}${path}`
  let response: Response
  try {
    response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: stringifyJson(body) }),
    })
  } catch {
    throw new Error(
      `no mint answers at ${url.replace(path, '')}: start it (cashu-mint start) or set CASHU_MINT_ADMIN_HOST/PORT`,
    )
  }
  const text = await response.text()
  if (response.status === 401)
    throw new Error('the admin token was refused: is CASHU_MINT_DATA_DIR the mint’s?')
  const parsed = text ? parseJson(text) : null
  if (!response.ok)
    throw new Error(`${(parsed as { detail?: string })?.detail ?? text} (HTTP ${response.status})`)
  return parsed
}

const show = (value: unknown) => (typeof value === 'bigint' ? value.toString() : String(value))

function table(rows: Record<string, unknown>[], columns: string[]): string {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => show(r[c] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  return [line(columns), ...rows.map((r) => line(columns.map((c) => show(r[c] ?? ''))))].join('\n')
}

interface AuthReport {
  configured: boolean
  enabled: boolean
  clear_endpoints?: { method: string; path: string }[]
  blind_endpoints?: { method: string; path: string }[]
  users?: Record<string, unknown>[]
}

function describeAuth(report: AuthReport): string {
  if (!report.configured) return 'access control is not configured (CASHU_MINT_AUTH_OPENID_DISCOVERY)'
  const list = (endpoints: { method: string; path: string }[] = []) =>
    endpoints.map((e) => `${e.method} ${e.path}`).join(', ') || 'none'
  return [
    `access control ${report.enabled ? 'enabled' : 'DISABLED: every endpoint is open'}`,
    `clear auth  ${list(report.clear_endpoints)}`,
    `blind auth  ${list(report.blind_endpoints)}`,
    '',
    table(report.users ?? [], ['subject', 'bats_minted', 'mint_requests', 'last_at']),
  ].join('\n')
}

async function init(values: Values, config: ServerConfig) {
  const dir = resolve(values['data-dir'] ?? config.CASHU_MINT_DATA_DIR)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const seed = await loadOrCreateSecret(dir, 'seed')
  const token = await loadOrCreateSecret(dir, 'admin-token')
  const configFile = join(dir, 'mint.env')
  const template = `# cashu-mint configuration (see the README); the environment overrides these.
CASHU_MINT_DATA_DIR=${dir}
CASHU_MINT_NAME=cashu-mint
CASHU_MINT_UNIT=sat
# CASHU_MINT_LIGHTNING=lnd
# CASHU_MINT_LND_SOCKET=127.0.0.1:10009
# CASHU_MINT_LND_CERT_PATH=
# CASHU_MINT_LND_MACAROON_PATH=
# DATABASE_URL=postgres://mint:secret@127.0.0.1/mint
`
  const wrote = await writeFile(configFile, template, { flag: 'wx', mode: 0o600 }).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return false
      throw error
    },
  )
  return {
    result: {
      data_dir: dir,
      seed: seed.path,
      admin_token: token.path,
      config: configFile,
      seed_created: seed.created,
    },
    text: [
      `data folder   ${dir}`,
      `seed          ${seed.path}${seed.created ? ' (new)' : ' (kept)'}`,
      `admin token   ${token.path}`,
      `config        ${configFile}${wrote ? ' (new)' : ' (kept)'}`,
      '',
      'Back up the seed now and keep it offline: every keyset derives from it, and with the',
      'database it restores the mint (cashu-mint backup writes both).',
      `Start: CASHU_MINT_CONFIG_FILE=${configFile} cashu-mint start`,
    ].join('\n'),
  }
}

/** The store, loaded only by the commands that open the database, so the others start fast. */
async function openDatabase(url: string) {
  const { openStore } = await import('@cashu-mint/storage')
  return openStore({ url })
}

async function restore(positionals: string[], values: Values, config: ServerConfig) {
  const from = positionals[1]
  if (!from) throw new UsageError('which backup? cashu-mint restore BACKUP_DIR')
  const dir = resolve(values['data-dir'] ?? config.CASHU_MINT_DATA_DIR)
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
    return {
      result: { data_dir: dir, rows: counts },
      text: `restored ${Object.entries(counts)
        .map(([t, n]) => `${n} ${t}`)
        .join(
          ', ',
        )}\ninto ${url.includes('://') ? url.replace(/\/\/[^@/]*@/, '//***@') : url}; start the mint.`,
    }
  } finally {
    await store.close()
  }
}

async function run(argv: string[]): Promise<{ result: unknown; text: string } | undefined> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  })
  const [command = '', sub] = positionals
  if (values.help || command === '' || command === 'help') {
    const help = HELP[command === 'help' ? (sub ?? '') : command]
    if (help === undefined) throw new UsageError(`unknown command "${command === 'help' ? sub : command}"`)
    return { result: { help }, text: help }
  }
  if (!(command in HELP)) throw new UsageError(`unknown command "${command}"; try cashu-mint --help`)
  const config = loadConfig()
  const subcommand = (allowed: string[]) => {
    if (!sub || !allowed.includes(sub)) throw new UsageError(`cashu-mint ${command} ${allowed.join('|')}`)
    return sub
  }
  switch (command) {
    case 'init':
      return init(values, config)
    case 'start':
      await import('../main.ts')
      return undefined
    case 'migrate': {
      const store = await openDatabase(databaseUrlOf(config))
      await store.close()
      return { result: { migrated: true }, text: 'the database schema is up to date' }
    }
    case 'keysets': {
      if (subcommand(['list', 'rotate']) === 'list') {
        const result = (await admin(config, 'GET', '/v1/admin/keysets')) as {
          keysets: Record<string, unknown>[]
        }
        return {
          result,
          text: table(result.keysets, ['id', 'unit', 'active', 'input_fee_ppk', 'final_expiry']),
        }
      }
      const result = (await admin(config, 'POST', '/v1/admin/keysets/rotate', {
        unit: required(values, 'unit'),
        ...(values.fee ? { input_fee_ppk: whole(values.fee, 'fee') } : {}),
        ...(values.expiry ? { final_expiry: whole(values.expiry, 'expiry') } : {}),
      })) as { keysets: Record<string, unknown>[] }
      const active = result.keysets.filter((k) => k.active && k.unit === values.unit)
      return {
        result,
        text: `active ${values.unit} keysets now:\n${table(active, ['id', 'input_fee_ppk', 'final_expiry'])}`,
      }
    }
    case 'info': {
      subcommand(['set'])
      const change = {
        ...(values.name ? { name: values.name } : {}),
        ...(values.description ? { description: values.description } : {}),
        ...(values['long-description'] ? { description_long: values['long-description'] } : {}),
        ...(values.motd !== undefined ? { motd: values.motd } : {}),
        ...(values.icon ? { icon_url: values.icon } : {}),
        ...(values.tos ? { tos_url: values.tos } : {}),
        ...(values.url ? { urls: values.url } : {}),
        ...(values.contact
          ? {
              contact: values.contact.map((c) => {
                const at = c.indexOf(':')
                if (at < 1) throw new UsageError('--contact takes METHOD:INFO, e.g. email:ops@example.com')
                return { method: c.slice(0, at), info: c.slice(at + 1) }
              }),
            }
          : {}),
      }
      if (Object.keys(change).length === 0) throw new UsageError(HELP.info ?? '')
      const result = await admin(config, 'PATCH', '/v1/admin/settings', change)
      return { result, text: 'mint info updated on every instance' }
    }
    case 'mint':
    case 'melt': {
      const on = subcommand(['enable', 'disable']) === 'enable'
      const unit = required(values, 'unit')
      const result = await admin(config, 'PATCH', '/v1/admin/settings', {
        [`${command}_enabled`]: { [unit]: on },
      })
      return {
        result,
        text: `${command === 'mint' ? 'Lightning top-ups' : 'Lightning cash-outs'} of ${unit} ${on ? 'enabled' : 'disabled'}`,
      }
    }
    case 'auth': {
      const action = subcommand(['status', 'enable', 'disable'])
      if (action !== 'status')
        await admin(config, 'PATCH', '/v1/admin/settings', { auth_enabled: action === 'enable' })
      const result = (await admin(config, 'GET', '/v1/admin/auth')) as AuthReport
      return { result, text: describeAuth(result) }
    }
    case 'issue': {
      const result = (await admin(config, 'POST', '/v1/admin/issue', {
        amount: whole(required(values, 'amount'), 'amount'),
        unit: required(values, 'unit'),
        reference: required(values, 'reference'),
        ...(values.pubkey ? { pubkey: values.pubkey } : {}),
      })) as { quote: string; amount: bigint; unit: string; expiry: bigint }
      const until = new Date(Number(result.expiry) * 1000).toISOString()
      return {
        result,
        text: `quote ${result.quote}: ${result.amount} ${result.unit}, mintable until ${until}`,
      }
    }
    case 'refund': {
      const id = positionals[1]
      if (!id) throw new UsageError(HELP.refund ?? '')
      const result = (await admin(
        config,
        'POST',
        `/v1/admin/receipts/${encodeURIComponent(id)}/refund`,
        values.reason === undefined ? {} : { reason: values.reason },
      )) as { refund: { amount: bigint; unit: string }; token: string; replayed: boolean }
      const { amount, unit } = result.refund
      return {
        result,
        text: `${result.replayed ? 'already refunded' : 'refunded'} ${amount} ${unit}; give the payer this token:\n${result.token}`,
      }
    }
    case 'balance': {
      if (sub !== undefined) {
        const recount = subcommand(['check', 'recount']) === 'recount'
        const result = (await (recount
          ? admin(config, 'POST', '/v1/admin/balance/recount', {})
          : admin(config, 'GET', '/v1/admin/balance/drift'))) as { corrected: Drift } | Drift
        const drift = 'corrected' in result ? result.corrected : result
        const rows = [
          ...drift.keysets.map((k) => ({
            of: `keyset ${k.keyset_id}`,
            signed: k.signed,
            spent: k.spent,
            fees: '',
          })),
          ...drift.fees.map((f) => ({ of: `fees ${f.unit}`, signed: '', spent: '', fees: f.fees })),
        ]
        const text = drift.agrees
          ? 'the running totals agree with a recount of the rows'
          : `${recount ? 'added to the running totals' : 'a recount of the rows minus the running totals'}:\n${table(rows, ['of', 'signed', 'spent', 'fees'])}${recount ? '' : '\nrun `cashu-mint balance recount` to correct them'}`
        return { result, text }
      }
      const result = (await admin(config, 'GET', '/v1/admin/balance')) as {
        units: Record<string, { outstanding: bigint; fees_earned: bigint }>
        lightning: { balance_msat: bigint | null; liabilities_msat: bigint; solvent: boolean | null }
        pending_melts: number
      }
      const rows = Object.entries(result.units).map(([unit, u]) => ({
        unit,
        outstanding: u.outstanding,
        fees_earned: u.fees_earned,
      }))
      const ln = result.lightning
      return {
        result,
        text: [
          table(rows, ['unit', 'outstanding', 'fees_earned']),
          '',
          `Lightning balance ${ln.balance_msat === null ? 'unknown' : `${ln.balance_msat} msat`}, sat liabilities ${ln.liabilities_msat} msat${ln.solvent === false ? '  ** NOT COVERED **' : ''}`,
          `pending melts ${result.pending_melts}`,
        ].join('\n'),
      }
    }
    case 'quotes': {
      if (subcommand(['list', 'show']) === 'show') {
        const id = positionals[2]
        if (!id) throw new UsageError('cashu-mint quotes show ID')
        const result = await admin(config, 'GET', `/v1/admin/quotes/${encodeURIComponent(id)}`)
        return { result, text: stringifyJson(result, 2) }
      }
      const kind = values.kind ?? 'mint'
      const result = (await admin(
        config,
        'GET',
        `/v1/admin/quotes?kind=${kind}&limit=${values.limit ?? 20}`,
      )) as Record<string, unknown>[]
      return { result, text: table(result, ['id', 'unit', 'amount', 'state', 'createdAt']) }
    }
    case 'backup': {
      const snapshot = await admin(config, 'GET', '/v1/admin/backup')
      const out = resolve(values.out ?? `backup-${new Date().toISOString().replace(/[:.]/g, '-')}`)
      await mkdir(out, { recursive: true, mode: 0o700 })
      await writeFile(join(out, 'database.json'), stringifyJson(snapshot), { mode: 0o600 })
      await copyFile(join(config.CASHU_MINT_DATA_DIR, 'seed'), join(out, 'seed'))
      await chmod(join(out, 'seed'), 0o600)
      return {
        result: { out, files: ['database.json', 'seed'] },
        text: `backup in ${out} (database.json, seed)\nrestore: stop the mint, then cashu-mint restore ${out} --data-dir NEW_DIR (with DATABASE_URL of a new database, or PGlite in NEW_DIR)`,
      }
    }
    case 'restore':
      return restore(positionals, values, config)
  }
  return undefined
}

const json = process.argv.includes('--json')
try {
  const outcome = await run(process.argv.slice(2))
  if (outcome) console.log(json ? stringifyJson(outcome.result, 2) : outcome.text)
} catch (error) {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  const message = (error as Error).message
  if (json) console.log(stringifyJson({ error: message }))
  else console.error(`cashu-mint: ${message}`)
  process.exit(usage ? 2 : 1)
}
