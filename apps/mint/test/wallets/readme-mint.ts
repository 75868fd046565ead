/**
 * A mint started the way the README says (`scripts/start.sh`), on free ports and a fresh data
 * folder, in one of the configurations the wallets lane runs: plain sat, sat with an input fee of
 * 100 ppk, and a second unit (usd at a fixed price). The FakeWallet pays invoices after 5 s rather
 * than the default 1 s, so a wallet CLI that takes a few seconds to start on a busy machine can still
 * melt one of the mint's own invoices before the FakeWallet pays it.
 */
import { spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const root = join(import.meta.dirname, '../../../..')

export interface MintConfig {
  /** How the lane names it. */
  name: 'sat' | 'sat, input fee 100 ppk' | 'usd'
  /** The unit the wallets use. */
  unit: 'sat' | 'usd'
  inputFeePpk: number
  env: Record<string, string>
}

export const CONFIGS: readonly MintConfig[] = [
  { name: 'sat', unit: 'sat', inputFeePpk: 0, env: {} },
  { name: 'sat, input fee 100 ppk', unit: 'sat', inputFeePpk: 100, env: { CASHU_MINT_INPUT_FEE_PPK: '100' } },
  {
    name: 'usd',
    unit: 'usd',
    inputFeePpk: 0,
    // One cent for 10 sat.
    env: { CASHU_MINT_UNITS: '[{"unit":"sat"},{"unit":"usd","rate":{"msat_per_unit":"10000"}}]' },
  },
]

export interface ReadmeMint {
  url: string
  adminUrl: string
  adminToken: string
  output(): string
  stop(): Promise<void>
}

export async function startReadmeMint(config: MintConfig, extraEnv: Record<string, string> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'wallets-lane-'))
  const adminToken = `wallets-lane-${Math.random().toString(36).slice(2)}-0123456789abcdef`
  const child = spawn('bash', [join(root, 'scripts/start.sh')], {
    env: {
      ...process.env,
      CASHU_MINT_PORT: '0',
      CASHU_MINT_ADMIN_PORT: '0',
      CASHU_MINT_DATA_DIR: dataDir,
      CASHU_MINT_ADMIN_TOKEN: adminToken,
      CASHU_MINT_FAKE_DELAY_MS: '5000',
      CASHU_MINT_RATE_LIMIT_PER_MINUTE: '0',
      ...config.env,
      ...extraEnv,
    },
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = Date.now() + 120_000
  let listening: { url: string; adminUrl: string } | undefined
  while (!listening) {
    const line = output.split('\n').find((l) => l.includes('"mint listening"'))
    if (line) listening = JSON.parse(line) as { url: string; adminUrl: string }
    else if (child.exitCode !== null) throw new Error(`the mint exited: ${output}`)
    else if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`the mint did not start in 120 s: ${output}`)
    } else await sleep(100)
  }
  return {
    url: listening.url,
    adminUrl: listening.adminUrl,
    adminToken,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
  } satisfies ReadmeMint
}
