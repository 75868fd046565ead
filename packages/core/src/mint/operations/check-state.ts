/**
 * NUT-07: proof states. Only reads: a Y the mint has never seen is UNSPENT, a reserved one (an
 * unfinished melt) PENDING; a SPENT one carries the witness it was spent with.
 */
import type { PostCheckStateResponse } from '../../protocol/schemas/nut07-09.ts'
import type { MintContext } from '../context/mint-context.ts'

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
