/**
 * Redeems tokens in the same process as the mint (and on its database): decodes the token,
 * resolves V4 short keyset ids against the mint's keysets, refuses a token in another unit than the
 * price, and hands the change (and refunds) back as V4 tokens for `mintUrl`.
 */
import type { Mint } from '@cashu-mint/core/mint'
import { ErrorCode, MintError } from '@cashu-mint/core/protocol'
import { decodeToken, encodeTokenV4, resolveKeysetIds, type Token } from '@cashu-mint/core/token'
import type { Redeemer, RedeemOptions, RedeemResult } from './redeemer.ts'

function parse(serialized: string, knownIds: readonly string[]): Token {
  try {
    return resolveKeysetIds(decodeToken(serialized.trim()), knownIds)
  } catch (error) {
    throw new MintError(ErrorCode.MALFORMED_REQUEST, `token: invalid token: ${(error as Error).message}`)
  }
}

export function createLocalRedeemer(mint: Mint, options: { mintUrl: string }): Redeemer {
  return {
    async redeem(serialized: string, redeem: RedeemOptions): Promise<RedeemResult> {
      const token = parse(
        serialized,
        mint.keysets().keysets.map((k) => k.id),
      )
      if (token.unit !== undefined && token.unit !== redeem.unit) {
        throw new MintError(
          ErrorCode.INPUT_OUTPUT_UNIT_MISMATCH,
          `the token is in ${token.unit}, the price in ${redeem.unit}`,
        )
      }
      const result = await mint.redeem({
        proofs: token.proofs,
        unit: redeem.unit,
        amount: redeem.amount,
        outputs: redeem.outputs,
        key: redeem.key,
        memo: redeem.memo,
        whole: redeem.whole,
      })
      if ('signatures' in result.change) return { ...result, change: result.change }
      const proofs = result.change.proofs
      const change =
        proofs.length === 0 ? null : encodeTokenV4({ mint: options.mintUrl, unit: redeem.unit, proofs })
      return { ...result, change: { token: change } }
    },
    async refund(receiptId, refund = {}) {
      const result = await mint.refund({ receiptId, reason: refund.reason })
      const token = encodeTokenV4({ mint: options.mintUrl, unit: result.refund.unit, proofs: result.proofs })
      return { refund: result.refund, token, replayed: result.replayed }
    },
  }
}
