/**
 * `pnpm --filter @cashu-mint/example-stamp-relay start`: the admission service, then the relay
 * (nostr-rs-relay 0.8.12, its binary from scripts/nostr-rs-relay.sh unless NOSTR_RS_RELAY names
 * one) configured to ask it. The relay stops with this process; if the relay stops, so does this.
 *
 *   MINT_URL          the mint stamps come from (default http://127.0.0.1:3338)
 *   MINT_ADMIN_URL    its admin listener (default http://127.0.0.1:3339)
 *   MINT_ADMIN_TOKEN  the admin token, or MINT_ADMIN_TOKEN_FILE (default ../../data/admin-token)
 *   RELAY_PORT        7777; RELAY_DATA_DIR ./relay-data (the relay's SQLite and config.toml)
 *   PRICE, UNIT       1, sat: the price of an event
 *   FREE_KINDS        kinds that cost nothing, comma-separated (default 0: profiles)
 *   RELAY_KEY         optional: a 32-byte hex key; stamps may then be locked to it (NUT-11)
 */
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { createRemoteRedeemer } from '@cashu-mint/accept'
import { serveAdmission } from './admission-server.ts'
import { feeText, relayConfig } from './relay-config.ts'
import { createStampAdmission, type StampPrices } from './stamp-admission.ts'

const env = process.env
const root = join(import.meta.dirname, '../../..')
const mintUrl = env.MINT_URL ?? 'http://127.0.0.1:3338'
const tokenFile = env.MINT_ADMIN_TOKEN_FILE ?? join(root, 'data/admin-token')
const token = env.MINT_ADMIN_TOKEN ?? readFileSync(tokenFile, 'utf8').trim()
const prices: StampPrices = {
  unit: env.UNIT ?? 'sat',
  default: BigInt(env.PRICE ?? '1'),
  kinds: Object.fromEntries(
    (env.FREE_KINDS ?? '0')
      .split(',')
      .filter(Boolean)
      .map((kind) => [Number(kind), 0n]),
  ),
}
const admission = await serveAdmission(
  createStampAdmission({
    redeemer: createRemoteRedeemer({ adminUrl: env.MINT_ADMIN_URL ?? 'http://127.0.0.1:3339', token }),
    mintUrl,
    prices,
    privateKey: env.RELAY_KEY,
  }),
  {},
)
const dataDir = resolve(env.RELAY_DATA_DIR ?? 'relay-data')
await mkdir(dataDir, { recursive: true })
const port = Number(env.RELAY_PORT ?? '7777')
const config = join(dataDir, 'config.toml')
await writeFile(
  config,
  relayConfig({
    host: '127.0.0.1',
    port,
    dataDir,
    admission: admission.address,
    name: 'stamp relay',
    mintUrl,
    prices,
  }),
)
const binary =
  env.NOSTR_RS_RELAY ??
  execFileSync('bash', [join(root, 'scripts/nostr-rs-relay.sh')], { encoding: 'utf8' }).trim()
const relay = spawn(binary, ['--config', config, '--db', dataDir], { stdio: 'inherit' })
relay.once('exit', (code) => {
  admission.close().then(() => process.exit(code ?? 1))
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => relay.kill(signal))
console.log(`stamp relay on ws://127.0.0.1:${port}: ${feeText(prices, mintUrl)}`)
