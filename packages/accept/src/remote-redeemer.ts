/**
 * Redeems tokens and refunds receipts at a mint that runs elsewhere, through its admin listener
 * (bearer token). A refusal comes back as the MintError the mint raised, with its NUT code.
 */
import { MintError, parseJson, stringifyJson } from '@cashu-mint/core/protocol'
import type { z } from 'zod'
import {
  HoldResponseBody,
  IDEMPOTENCY_KEY,
  RedeemResponseBody,
  RefundResponseBody,
  SettleResponseBody,
} from './redeem-wire.ts'
import type {
  HoldOptions,
  HoldResult,
  Redeemer,
  RedeemOptions,
  RedeemResult,
  RefundOutcome,
  SettleOutcome,
} from './redeemer.ts'

export interface RemoteRedeemerOptions {
  /** The admin listener, e.g. http://127.0.0.1:3339. */
  adminUrl: string
  /** The admin bearer token. */
  token: string
  fetch?: typeof fetch
}

export function createRemoteRedeemer(options: RemoteRedeemerOptions): Redeemer {
  const call = options.fetch ?? fetch
  const base = `${options.adminUrl.replace(/\/+$/, '')}/v1/admin`

  async function post<Schema extends z.ZodType>(
    path: string,
    body: unknown,
    schema: Schema,
    headers: Record<string, string> = {},
  ): Promise<z.output<Schema>> {
    const response = await call(`${base}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.token}`,
        'content-type': 'application/json',
        ...headers,
      },
      body: stringifyJson(body),
    })
    const answer = parseJson(await response.text()) as { detail?: string; code?: bigint }
    if (response.status === 400 && answer.code !== undefined)
      throw new MintError(Number(answer.code) as MintError['code'], answer.detail ?? 'refused')
    if (!response.ok)
      throw new Error(`the mint's admin API answered ${response.status}: ${answer.detail ?? ''}`)
    return schema.parse(answer)
  }

  return {
    redeem: (token: string, redeem: RedeemOptions): Promise<RedeemResult> =>
      post(
        '/redeem',
        {
          token,
          amount: redeem.amount,
          unit: redeem.unit,
          ...(redeem.memo === undefined ? {} : { memo: redeem.memo }),
          ...(redeem.outputs === undefined ? {} : { outputs: redeem.outputs }),
          ...(redeem.whole ? { whole: true } : {}),
        },
        RedeemResponseBody,
        redeem.key ? { [IDEMPOTENCY_KEY]: redeem.key } : {},
      ),
    refund: (
      receiptId: string,
      refund: { reason?: string | undefined; amount?: bigint | undefined } = {},
    ): Promise<RefundOutcome> =>
      post(
        `/receipts/${encodeURIComponent(receiptId)}/refund`,
        {
          ...(refund.reason === undefined ? {} : { reason: refund.reason }),
          ...(refund.amount === undefined ? {} : { amount: refund.amount }),
        },
        RefundResponseBody,
      ),
    hold: (token: string, hold: HoldOptions): Promise<HoldResult> =>
      post(
        '/holds',
        {
          token,
          max: hold.max,
          unit: hold.unit,
          ttl_seconds: hold.ttlSeconds,
          on_expiry: hold.onExpiry ?? 'return',
          ...(hold.memo === undefined ? {} : { memo: hold.memo }),
          ...(hold.outputs === undefined ? {} : { outputs: hold.outputs }),
        },
        HoldResponseBody,
        hold.key ? { [IDEMPOTENCY_KEY]: hold.key } : {},
      ),
    settle: (holdId: string, settle: { keep: bigint }): Promise<SettleOutcome> =>
      post(`/holds/${encodeURIComponent(holdId)}/settle`, { keep: settle.keep }, SettleResponseBody),
  }
}
