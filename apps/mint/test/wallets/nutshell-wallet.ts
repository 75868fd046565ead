/**
 * Nutshell's wallet CLI (`cashu`, PyPI cashu 0.21.0, the reference wallet), installed by
 * scripts/nutshell.sh, driven command by command as a user types them. usd amounts are given and
 * shown in dollars by this CLI; the driver speaks cents.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { lastToken, runCli } from './cli-command.ts'
import type { WalletDriver } from './wallet-driver.ts'

const root = join(import.meta.dirname, '../../../..')
export const cashu = execFileSync('bash', [join(root, 'scripts/nutshell.sh')], { encoding: 'utf8' }).trim()

/**
 * Where the CLI runs: its NUT-21 login page finds its templates only relative to the working
 * folder (`cashu/wallet/auth/openid_connect/templates`), so it runs in its site-packages.
 */
const lib = join(dirname(cashu), '../lib')
export const NUTSHELL_CWD = join(
  lib,
  readdirSync(lib).find((name) => name.startsWith('python')) ?? '',
  'site-packages',
)

/** The environment of a Nutshell wallet in `dir` that uses the mint at `mintUrl`. */
export const nutshellEnv = (mintUrl: string, dir: string) => ({
  MINT_URL: mintUrl,
  CASHU_DIR: dir,
  TOR: 'FALSE',
  DEBUG: 'FALSE',
})

/** A Nutshell wallet; in `home` when given (a wallet that logged in there), else in a new folder. */
export const nutshellWallet = async (mintUrl: string, unit: string, name: string, home?: string) => {
  const walletIn = (dir: string): WalletDriver => {
    const env = nutshellEnv(mintUrl, dir)
    const run = (args: string[], input?: string) =>
      runCli(cashu, ['--yes', '--unit', unit, ...args], {
        env,
        cwd: NUTSHELL_CWD,
        ...(input ? { input } : {}),
      })
    const amount = (value: number) => (unit === 'usd' ? (value / 100).toFixed(2) : String(value))
    return {
      info: () => run(['info', '--mint']),
      async mint(value) {
        const output = await run(['invoice', amount(value)])
        if (!/Invoice paid/.test(output)) throw new Error(`not minted:\n${output}`)
      },
      async balance() {
        const output = await run(['balance'])
        const shown = output.match(/Balance: \$?([0-9.]+)/)?.[1]
        if (shown === undefined) throw new Error(`no balance in:\n${output}`)
        return unit === 'usd' ? Math.round(Number(shown) * 100) : Number(shown)
      },
      send: async (value) => lastToken(await run(['send', amount(value), '--force-swap'])),
      async receive(token) {
        const output = await run(['receive', token])
        if (!/Received/.test(output)) throw new Error(`not received:\n${output}`)
      },
      async lockKey() {
        const output = await run(['lock', 'p2pk'])
        const key = output.match(/P2PK:(0[23][0-9a-f]{64})/)?.[1]
        if (!key) throw new Error(`no lock in:\n${output}`)
        return key
      },
      sendLocked: async (value, publicKey) =>
        lastToken(await run(['send', amount(value), '--lock', `P2PK:${publicKey}`])),
      async pay(invoice) {
        const output = await run(['pay', invoice])
        if (!/Invoice paid/.test(output)) throw new Error(`not paid:\n${output}`)
        if (/Invalid preimage/.test(output)) throw new Error(`the mint sent a wrong preimage:\n${output}`)
      },
      async burn() {
        await run(['burn', '--all'])
      },
      async restore() {
        const mnemonic = (await run(['info', '--mnemonic'])).match(/Mnemonic:\s*\n?\s*-?\s*([a-z ]+)\n/)?.[1]
        if (!mnemonic) throw new Error('no mnemonic shown')
        const restored = await mkdtemp(join(tmpdir(), `nutshell-${name}-restored-`))
        const wallet = walletIn(restored)
        await runCli(cashu, ['--yes', '--unit', unit, 'restore', '--to', '2'], {
          env: { ...env, CASHU_DIR: restored },
          cwd: NUTSHELL_CWD,
          input: `${mnemonic.trim()}\n`,
        })
        return wallet
      },
    }
  }
  return walletIn(home ?? (await mkdtemp(join(tmpdir(), `nutshell-${name}-`))))
}
