/**
 * Redeems tokens at a mint that runs elsewhere, through its admin listener (bearer token). A
 * refusal comes back as the MintError the mint raised, with its NUT code.
 */
import { MintError, parseJson, stringifyJson } from '@cashu-mint/core/protocol'
import { IDEMPOTENCY_KEY, RedeemResponseBody } from './redeem-wire.ts'
import type { Redeemer, RedeemOptions, RedeemResult } from './redeemer.ts'

export interface RemoteRedeemerOptions {
  /** The admin listener, e.g. http://127.0.0.1:3339. */
  adminUrl: string
  /** The admin bearer token. */
  token: string
  fetch?: typeof fetch
}

export function createRemoteRedeemer(options: RemoteRedeemerOptions): Redeemer {
  const call = options.fetch ?? fetch
  const url = `${options.adminUrl.replace(/\/+$/, '')}/v1/admin/redeem`
  return {
    async redeem(token: string, redeem: RedeemOptions): Promise<RedeemResult> {
      const response = await call(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.token}`,
          'content-type': 'application/json',
          ...(redeem.key ? { [IDEMPOTENCY_KEY]: redeem.key } : {}),
        },
        body: stringifyJson({
          token,
          amount: redeem.amount,
          unit: redeem.unit,
          ...(redeem.memo === undefined ? {} : { memo: redeem.memo }),
          ...(redeem.outputs === undefined ? {} : { outputs: redeem.outputs }),
        }),
      })
      const body = parseJson(await response.text()) as { detail?: string; code?: bigint }
      if (response.status === 400 && body.code !== undefined)
        throw new MintError(Number(body.code) as MintError['code'], body.detail ?? 'refused')
      if (!response.ok)
        throw new Error(`the mint's admin API answered ${response.status}: ${body.detail ?? ''}`)
      return RedeemResponseBody.parse(body)
    },
  }
}
