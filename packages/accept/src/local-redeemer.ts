/**
 * Redeems tokens in the same process as the mint (and on its database): decodes the token,
 * resolves V4 short keyset ids against the mint's keysets, refuses a token in another unit than the
 * price, and hands the change (and refunds) back as V4 tokens for `mintUrl`.
 */
import type { Mint, Redemption } from '@cashu-mint/core/mint'
import { ErrorCode, MintError, type Proof } from '@cashu-mint/core/protocol'
import { decodeToken, encodeTokenV4, resolveKeysetIds, type Token } from '@cashu-mint/core/token'
import type {
  HoldOptions,
  HoldResult,
  Redeemer,
  RedeemOptions,
  RedeemResult,
  SettleOutcome,
} from './redeemer.ts'

function parse(serialized: string, knownIds: readonly string[]): Token {
  try {
    return resolveKeysetIds(decodeToken(serialized.trim()), knownIds)
  } catch (error) {
    throw new MintError(ErrorCode.MALFORMED_REQUEST, `token: invalid token: ${(error as Error).message}`)
  }
}

export function createLocalRedeemer(mint: Mint, options: { mintUrl: string }): Redeemer {
  const known = () => mint.keysets().keysets.map((k) => k.id)
  const tokenOf = (unit: string, proofs: Proof[]) =>
    proofs.length === 0 ? null : encodeTokenV4({ mint: options.mintUrl, unit, proofs })
  const changeOf = (unit: string, change: Redemption['change']): RedeemResult['change'] =>
    'signatures' in change ? change : { token: tokenOf(unit, change.proofs) }
  /** The token's proofs, refused when its unit is not the price's. */
  const proofsOf = (serialized: string, unit: string): Proof[] => {
    const token = parse(serialized, known())
    if (token.unit !== undefined && token.unit !== unit)
      throw new MintError(
        ErrorCode.INPUT_OUTPUT_UNIT_MISMATCH,
        `the token is in ${token.unit}, the price in ${unit}`,
      )
    return token.proofs
  }
  return {
    async redeem(serialized: string, redeem: RedeemOptions): Promise<RedeemResult> {
      const result = await mint.redeem({
        proofs: proofsOf(serialized, redeem.unit),
        unit: redeem.unit,
        amount: redeem.amount,
        outputs: redeem.outputs,
        key: redeem.key,
        memo: redeem.memo,
        whole: redeem.whole,
      })
      return { ...result, change: changeOf(redeem.unit, result.change) }
    },
    async refund(receiptId, refund = {}) {
      const result = await mint.refund({ receiptId, reason: refund.reason, amount: refund.amount })
      const token = encodeTokenV4({ mint: options.mintUrl, unit: result.refund.unit, proofs: result.proofs })
      return { refund: result.refund, token, replayed: result.replayed }
    },
    async hold(serialized: string, hold: HoldOptions): Promise<HoldResult> {
      const result = await mint.hold({
        proofs: proofsOf(serialized, hold.unit),
        unit: hold.unit,
        max: hold.max,
        ttlSeconds: hold.ttlSeconds,
        onExpiry: hold.onExpiry ?? 'return',
        outputs: hold.outputs,
        key: hold.key,
        memo: hold.memo,
      })
      return { ...result, change: changeOf(hold.unit, result.change) }
    },
    async settle(holdId: string, settle: { keep: bigint }): Promise<SettleOutcome> {
      const result = await mint.settleHold({ holdId, keep: settle.keep })
      return { hold: result.hold, token: tokenOf(result.hold.unit, result.proofs), replayed: result.replayed }
    },
  }
}
