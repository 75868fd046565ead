/**
 * cdk-mintd 0.18.3 (CDK's mint, built by scripts/cdk-mintd.sh) in a child process, as its operators
 * run it: a config.toml applied into its database (`config init`), a FakeWallet, SQLite in its work
 * folder or PostgreSQL. 0.18 takes secrets only as references (`file:`), and rotates a unit's keyset
 * at start when the configured input fee differs from the active keyset's (`reconfigure`).
 */
import { execFileSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type PeerProcess, startPeer, tool } from './peer-process.ts'

export interface CdkMintdOptions {
  workDir: string
  port: number
  /**
   * The file its keysets derive from: a BIP-39 mnemonic, or (`seed`) text used as it is; or a
   * signatory on this machine holding them, with the folder of its client certificate.
   */
  secret: { mnemonic: string } | { seed: string } | { signatory: { port: number; tlsDir: string } }
  /** A postgres:// URL; default SQLite in the work folder. */
  database?: string
  inputFeePpk: number
  /** The FakeWallet's delay before invoices pay themselves, seconds. */
  payDelaySeconds?: number
}

/** Its config.toml. */
export function cdkMintdConfig(options: CdkMintdOptions): string {
  const secret =
    'mnemonic' in options.secret
      ? `mnemonic = "file:${options.secret.mnemonic}"`
      : 'seed' in options.secret
        ? `seed = "file:${options.secret.seed}"`
        : ''
  const signatory =
    'signatory' in options.secret
      ? `
[signatory]
enabled = true
address = "127.0.0.1"
port = ${options.secret.signatory.port}
tls_dir = "${options.secret.signatory.tlsDir}"
allow_insecure = false
`
      : ''
  const delay = options.payDelaySeconds ?? 0
  return `[info]
url = "http://127.0.0.1:${options.port}/"
listen_host = "127.0.0.1"
listen_port = ${options.port}
${secret}
input_fee_ppk = ${options.inputFeePpk}

[info.http_cache]
backend = "memory"
ttl = 60
tti = 60

[database]
engine = "${options.database ? 'postgres' : 'sqlite'}"
${
  options.database
    ? `
[database.postgres]
url = "env:CDK_MINTD_POSTGRES_URL"
tls_mode = "disable"
max_connections = 20
connection_timeout_seconds = 10
`
    : ''
}
[payment_backend]
backend = "fakewallet"

[fake_wallet]
fee_percent = 0.02
reserve_fee_min = 1
min_delay_time = ${delay}
max_delay_time = ${delay}

[limits]
max_inputs = 1000
max_outputs = 1000
${signatory}`
}

/** The environment it runs in: 0.18 finds the database that holds its configuration from it. */
export const cdkMintdEnv = (database: string | undefined): NodeJS.ProcessEnv =>
  database
    ? { ...process.env, CDK_MINTD_DATABASE: 'postgres', CDK_MINTD_POSTGRES_URL: database }
    : process.env

/** Writes the configuration and applies it (`init` for a new mint). */
export async function configureCdkMintd(binary: string, options: CdkMintdOptions, step: 'init' | 'apply') {
  const file = join(options.workDir, 'config.toml')
  await writeFile(file, cdkMintdConfig(options))
  execFileSync(
    binary,
    [
      '--work-dir',
      options.workDir,
      'config',
      step,
      ...(step === 'init' ? ['--new-mint'] : []),
      '--file',
      file,
    ],
    { stdio: 'ignore', env: cdkMintdEnv(options.database) },
  )
}

export interface RunningCdkMintd extends PeerProcess {
  url: string
  sqlite: string
}

/** Starts it with `options` applied (`step`: a new mint, or a changed configuration of an existing one). */
export async function startCdkMintd(
  options: CdkMintdOptions,
  step: 'init' | 'apply' = 'init',
): Promise<RunningCdkMintd> {
  const binary = tool('cdk-mintd.sh')
  await configureCdkMintd(binary, options, step)
  const url = `http://127.0.0.1:${options.port}`
  const peer = await startPeer({
    name: 'cdk-mintd',
    command: binary,
    args: ['--work-dir', options.workDir],
    env: cdkMintdEnv(options.database) as Record<string, string>,
    ready: async () => (await fetch(`${url}/v1/keysets`)).ok,
    timeoutMs: 120_000,
  })
  return { ...peer, url, sqlite: join(options.workDir, 'cdk-mintd.sqlite') }
}
