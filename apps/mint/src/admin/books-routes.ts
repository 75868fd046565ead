/**
 * The service provider's books on the admin API: operator credit (a user who paid some other way
 * mints a PAID quote), redemption of a token as payment, and refunds of a receipt.
 */
import {
  createLocalRedeemer,
  IDEMPOTENCY_KEY,
  RedeemRequestBody,
  RefundRequestBody,
} from '@cashu-mint/accept'
import type { Mint } from '@cashu-mint/core/mint'
import { quoteId } from '@cashu-mint/core/protocol'
import type { Hono } from 'hono'
import { IdempotencyKey, IssueRequestBody } from '../api/admin-schemas.ts'
import { body, header, json, param } from '../api/http-kit.ts'

export function bookRoutes(app: Hono, mint: Mint, mintUrl: string): void {
  const redeemer = createLocalRedeemer(mint, { mintUrl })

  app.post('/v1/admin/issue', async (c) => {
    const request = await body(c, IssueRequestBody)
    const { quote, issuance } = await mint.credit({
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
        key: header(c, IDEMPOTENCY_KEY, IdempotencyKey),
        memo: request.memo,
        outputs: request.outputs,
        whole: request.whole,
      }),
    )
  })

  app.post('/v1/admin/receipts/:id/refund', async (c) => {
    const request = await body(c, RefundRequestBody)
    return json(c, await redeemer.refund(param(c, 'id', quoteId), { reason: request.reason }))
  })
}
