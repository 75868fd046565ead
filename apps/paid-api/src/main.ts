/**
 * `pnpm --filter @cashu-mint/example-paid-api start`: the paid API against a mint's admin listener.
 *
 *   MINT_URL          the mint wallets use (default http://127.0.0.1:3338)
 *   MINT_ADMIN_URL    its admin listener (default http://127.0.0.1:3339)
 *   MINT_ADMIN_TOKEN  the admin token, or MINT_ADMIN_TOKEN_FILE (default ../../data/admin-token)
 *   PORT, PRICE, UNIT 8080, 5, sat
 *   PAYEE_KEY         optional: a 32-byte hex key; payers then lock their ecash to it
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createRemoteRedeemer } from '@cashu-mint/accept'
import { serve } from '@hono/node-server'
import { createPaidApi } from './paid-api.ts'

const env = process.env
const mintUrl = env.MINT_URL ?? 'http://127.0.0.1:3338'
const tokenFile = env.MINT_ADMIN_TOKEN_FILE ?? join(import.meta.dirname, '../../../data/admin-token')
const token = env.MINT_ADMIN_TOKEN ?? readFileSync(tokenFile, 'utf8').trim()
const app = createPaidApi({
  redeemer: createRemoteRedeemer({ adminUrl: env.MINT_ADMIN_URL ?? 'http://127.0.0.1:3339', token }),
  mintUrl,
  price: { amount: BigInt(env.PRICE ?? '5'), unit: env.UNIT ?? 'sat' },
  ...(env.PAYEE_KEY ? { privateKey: env.PAYEE_KEY } : {}),
})
const port = Number(env.PORT ?? '8080')
serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () => {
  console.log(`paid API on http://127.0.0.1:${port}: GET /joke costs ecash from ${mintUrl}`)
})
