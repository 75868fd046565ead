/**
 * NUT-07 (proof states) and NUT-09 (restore). Both only read: a Y the mint has never seen is
 * UNSPENT; restore returns each stored signature exactly as it was issued, DLEQ included.
 */

import type { BlindedMessage } from '../protocol/schemas/nut00.ts'
import type { PostCheckStateResponse, PostRestoreResponse } from '../protocol/schemas/nut07-09.ts'
import type { MintContext } from './context.ts'
import { storedSignatures, toBlindSignature } from './signer.ts'

export async function checkState(ctx: MintContext, ys: readonly string[]): Promise<PostCheckStateResponse> {
  const found = new Map((await ctx.store.findProofs(ys)).map((p) => [p.y, p]))
  return {
    states: ys.map((Y) => {
      const proof = found.get(Y)
      if (!proof) return { Y, state: 'UNSPENT', witness: null }
      return { Y, state: proof.state, witness: proof.state === 'SPENT' ? proof.witness : null }
    }),
  }
}

export async function restore(
  ctx: MintContext,
  outputs: readonly BlindedMessage[],
): Promise<PostRestoreResponse> {
  const stored = await storedSignatures(
    ctx.store,
    outputs.map((o) => o.B_),
  )
  const restored = outputs.flatMap((output, i) => {
    const signature = stored[i]
    return signature
      ? [{ output: { amount: signature.amount, id: signature.keysetId, B_: output.B_ }, signature }]
      : []
  })
  const signatures = restored.map((r) => toBlindSignature(r.signature))
  return { outputs: restored.map((r) => r.output), signatures, promises: signatures }
}
