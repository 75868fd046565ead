/**
 * CDK's wallet CLI (`cdk-cli` 0.18.3 from crates.io), built once per machine by scripts/cdk-cli.sh,
 * driven command by command in non-interactive mode, one work folder (seed and database) per wallet.
 */
import { execFileSync } from 'node:child_process'
import { copyFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lastToken, runCli } from './cli-command.ts'
import type { WalletDriver, WalletFactory } from './wallet-driver.ts'

const root = join(import.meta.dirname, '../../../..')
const cdkCli = execFileSync('bash', [join(root, 'scripts/cdk-cli.sh')], { encoding: 'utf8' }).trim()

export const cdkWallet: WalletFactory = async (mintUrl, unit, name) => {
  const walletIn = (dir: string): WalletDriver => {
    const run = (args: string[]) => runCli(cdkCli, ['--non-interactive', '--work-dir', dir, ...args])
    const withUnit = ['--unit', unit]
    return {
      info: () => run(['mint-info', mintUrl]),
      async mint(amount) {
        const output = await run(['mint', ...withUnit, mintUrl, String(amount)])
        if (!/Minted/.test(output)) throw new Error(`not minted:\n${output}`)
      },
      async balance() {
        const output = await run(['balance', ...withUnit]).catch((error: Error) => {
          // A wallet that never touched the mint has nothing to list.
          if (/No wallet found/.test(error.message)) return ''
          throw error
        })
        const line = output
          .split('\n')
          .find((l) => l.includes(mintUrl) && new RegExp(` ${unit}$`).test(l.trim()))
        return line ? Number(line.trim().split(/\s+/).at(-2)) : 0
      },
      send: async (amount) =>
        lastToken(await run(['send', ...withUnit, '--mint-url', mintUrl, '--amount', String(amount)])),
      async receive(token) {
        const output = await run(['receive', ...withUnit, '--allow-untrusted', token])
        if (!/Received/.test(output)) throw new Error(`not received:\n${output}`)
      },
      async lockKey() {
        const output = await run(['generate-public-key'])
        const key = output.match(/public key: (0[23][0-9a-f]{64})/)?.[1]
        if (!key) throw new Error(`no key in:\n${output}`)
        return key
      },
      sendLocked: async (amount, publicKey) =>
        lastToken(
          await run([
            'send',
            ...withUnit,
            '--mint-url',
            mintUrl,
            '--amount',
            String(amount),
            '--pubkey',
            publicKey,
          ]),
        ),
      async pay(invoice) {
        const output = await run(['melt', ...withUnit, '--mint-url', mintUrl, '--invoice', invoice])
        if (!/state=PAID/.test(output)) throw new Error(`not paid:\n${output}`)
      },
      async burn() {
        await run(['check-pending'])
        await run(['burn', ...withUnit, mintUrl])
      },
      async restore() {
        const restored = await mkdtemp(join(tmpdir(), `cdk-${name}-restored-`))
        await copyFile(join(dir, 'seed'), join(restored, 'seed'))
        const wallet = walletIn(restored)
        await runCli(cdkCli, ['--non-interactive', '--work-dir', restored, 'restore', ...withUnit, mintUrl])
        return wallet
      },
    }
  }
  return walletIn(await mkdtemp(join(tmpdir(), `cdk-${name}-`)))
}
