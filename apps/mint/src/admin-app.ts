/**
 * The admin API, on its own listener (loopback by default) behind a bearer token: what the
 * operator and the provider's backend do that wallets must not. Operator issuance credits a user
 * who paid some other way; redeem accepts a token as payment for a backend that runs apart from
 * the mint (the in-process API does the same without HTTP).
 */
import { createLocalRedeemer, IDEMPOTENCY_KEY, RedeemRequestBody } from '@cashu-mint/accept'
import type { Mint } from '@cashu-mint/core/mint'
import { Hono } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import { bodyLimit } from 'hono/body-limit'
import type { Logger } from 'pino'
import { z } from 'zod'
import { answerErrors, body, json, logRequests } from './http-kit.ts'

export interface AdminAppOptions {
  token: string
  /** The mint's public URL, written into change tokens. */
  mintUrl: string
  bodyLimitBytes: number
  logger?: Logger
}

export const IssueRequestBody = z.object({
  amount: z.bigint().min(1n, 'amount must be positive'),
  unit: z.string().regex(/^[a-z0-9_]+$/, 'unit must be a lowercase name'),
  reference: z.string().trim().min(1, 'reference is required').max(500),
  pubkey: z
    .string()
    .regex(/^0[23][0-9a-fA-F]{64}$/, 'pubkey must be a compressed public key')
    .optional(),
  ttl_seconds: z
    .bigint()
    .min(60n)
    .max(10n * 365n * 86_400n)
    .optional(),
})

export function createAdminApp(mint: Mint, options: AdminAppOptions): Hono {
  const app = new Hono()
  logRequests(app, options.logger)
  app.use('/v1/admin/*', bearerAuth({ token: options.token }))
  app.use('/v1/admin/*', bodyLimit({ maxSize: options.bodyLimitBytes }))
  const redeemer = createLocalRedeemer(mint, { mintUrl: options.mintUrl })

  app.post('/v1/admin/issue', async (c) => {
    const request = await body(c, IssueRequestBody)
    const { quote, issuance } = await mint.issue({
      amount: request.amount,
      unit: request.unit,
      reference: request.reference,
      pubkey: request.pubkey,
      ttlSeconds: request.ttl_seconds === undefined ? undefined : Number(request.ttl_seconds),
    })
    return json(c, { ...quote, reference: issuance.reference })
  })

  app.post('/v1/admin/redeem', async (c) => {
    const request = await body(c, RedeemRequestBody)
    return json(
      c,
      await redeemer.redeem(request.token, {
        amount: request.amount,
        unit: request.unit,
        key: c.req.header(IDEMPOTENCY_KEY),
        memo: request.memo,
        outputs: request.outputs,
      }),
    )
  })

  answerErrors(app, options.logger)
  return app
}
