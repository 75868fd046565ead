/**
 * NUT-09: restore. Only reads: each blinded message the mint signed gets its stored signature back
 * exactly as it was issued, DLEQ included (NUT-12), so a wallet recovering from its seed (NUT-13)
 * re-derives the same proofs.
 */
import type { BlindedMessage } from '../../protocol/schemas/nut00.ts'
import type { PostRestoreResponse } from '../../protocol/schemas/nut07-09.ts'
import type { MintContext } from '../context/mint-context.ts'
import { storedSignatures, toBlindSignature } from '../keysets/signatures.ts'

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
