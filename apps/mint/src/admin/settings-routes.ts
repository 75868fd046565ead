/**
 * What the operator changes on the admin API and every instance picks up: the run-time settings
 * (NUT-06 info, Lightning switches, access control on or off) and the keysets (NUT-02 rotation).
 */
import { AUTH_UNIT, type Clock, type Mint, nowSeconds } from '@cashu-mint/core/mint'
import { ErrorCode, MintError } from '@cashu-mint/core/protocol'
import type { Reports } from '@cashu-mint/storage'
import type { Hono } from 'hono'
import { RotateRequestBody } from '../api/admin-schemas.ts'
import { body, json } from '../api/http-kit.ts'
import type { AuthSettings } from '../config/access-rules.ts'
import { type OperatorControl, OperatorSettings } from '../config/operator-settings.ts'

/** Access control as configured, and the BATs minted per OpenID subject (counts only). */
async function authReport(mint: Mint, reports: Reports, auth: AuthSettings | undefined) {
  if (!auth) return { configured: false, enabled: false }
  return {
    configured: true,
    enabled: auth.enabled(),
    openid_discovery: auth.openidDiscovery,
    client_id: auth.clientId,
    clear_endpoints: auth.rules.clear,
    blind_endpoints: auth.rules.blind,
    bat_max_mint: auth.batMaxMint,
    keysets: mint.authKeysets().keysets,
    users: (await reports.authUsers()).map((user) => ({
      subject: user.subject,
      bats_minted: user.bats,
      mint_requests: user.requests,
      last_at: user.lastAt,
    })),
  }
}

export function settingsRoutes(
  app: Hono,
  mint: Mint,
  options: {
    operator: OperatorControl
    reports: Reports
    auth?: AuthSettings | undefined
    clock: Clock
  },
): void {
  const { clock } = options
  app.get('/v1/admin/settings', (c) => json(c, options.operator.current()))
  app.patch('/v1/admin/settings', async (c) =>
    json(c, await options.operator.update(await body(c, OperatorSettings))),
  )

  app.get('/v1/admin/auth', async (c) => json(c, await authReport(mint, options.reports, options.auth)))
  app.get('/v1/admin/keysets', (c) => json(c, mint.keysetsWithNames()))
  app.post('/v1/admin/keysets/rotate', async (c) => {
    const request = await body(c, RotateRequestBody)
    const keysets = mint.keysetsWithNames().keysets
    if (!keysets.some((k) => k.unit === request.unit))
      throw new MintError(ErrorCode.UNIT_UNSUPPORTED, `unit ${request.unit} is not configured`)
    if (
      request.unit === AUTH_UNIT &&
      (request.input_fee_ppk !== undefined || request.final_expiry !== undefined)
    )
      throw new MintError(
        ErrorCode.MALFORMED_REQUEST,
        'unit: the auth keyset has no fee and no expiry (NUT-22)',
      )
    if (request.final_expiry !== undefined && request.final_expiry <= nowSeconds(clock))
      throw new MintError(ErrorCode.MALFORMED_REQUEST, 'final_expiry: must be in the future')
    const current = keysets.find((k) => k.unit === request.unit && k.active)
    return json(
      c,
      await mint.rotateKeyset({
        unit: request.unit,
        inputFeePpk: request.input_fee_ppk ?? current?.input_fee_ppk ?? 0n,
        finalExpiry: request.final_expiry,
      }),
    )
  })
}
