/**
 * The service provider's books on the admin API: operator credit (a user who paid some other way
 * mints a PAID quote), redemption of a token as payment, refunds of a receipt, and holds (a token
 * taken for the most the service may keep, settled later).
 */
import {
  createLocalRedeemer,
  HoldRequestBody,
  IDEMPOTENCY_KEY,
  RedeemRequestBody,
  RefundRequestBody,
  SettleRequestBody,
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

  app.post('/v1/admin/holds', async (c) => {
    const request = await body(c, HoldRequestBody)
    return json(
      c,
      await redeemer.hold(request.token, {
        max: request.max,
        unit: request.unit,
        ttlSeconds: request.ttl_seconds,
        onExpiry: request.on_expiry,
        key: header(c, IDEMPOTENCY_KEY, IdempotencyKey),
        memo: request.memo,
        outputs: request.outputs,
      }),
    )
  })

  app.post('/v1/admin/holds/:id/settle', async (c) => {
    const request = await body(c, SettleRequestBody)
    return json(c, await redeemer.settle(param(c, 'id', quoteId), { keep: request.keep }))
  })

  app.post('/v1/admin/receipts/:id/refund', async (c) => {
    const request = await body(c, RefundRequestBody)
    return json(
      c,
      await redeemer.refund(param(c, 'id', quoteId), { reason: request.reason, amount: request.amount }),
    )
  })
}
