/**
 * NUT-03: swap. Nothing leaves the mint, so the whole swap is one atomic write (recordSpend, a
 * single statement): the inputs are recorded SPENT and the signatures stored together, or neither
 * is. Signing happens before the transaction (CPU, no locks held); if the write is refused by the
 * Y or B_ constraints, the signatures are discarded and never returned. There is no lookup before
 * signing: on the hot path it cost as much CPU as the write itself (docs/benchmarks.md), and the
 * constraints refuse a replay anyway, at the price of signing it once. A crash at any point leaves
 * either nothing or the complete swap; the same request again then gets the stored signatures
 * (earlierSignatures).
 */
import { ErrorCode, MintError } from '../../protocol/errors.ts'
import type { PostSwapRequest, PostSwapResponse } from '../../protocol/schemas/nut03.ts'
import { earlierSignatures, explainConflict } from '../checks/conflicts.ts'
import { assertBalanced, toProofRecords, verifyInputs, verifyOutputs } from '../checks/verification.ts'
import type { MintContext } from '../context/mint-context.ts'
import { signOutputs, toBlindSignature } from '../keysets/signatures.ts'
import { nowSeconds } from '../ports/clock.ts'
import { StoreConflictError } from '../ports/store.ts'
import { newId } from '../primitives/ids.ts'

export async function swap(ctx: MintContext, request: PostSwapRequest): Promise<PostSwapResponse> {
  if (request.inputs.length === 0 || request.outputs.length === 0) {
    throw new MintError(ErrorCode.MALFORMED_REQUEST, 'inputs: a swap needs inputs and outputs')
  }
  const now = nowSeconds(ctx.clock)
  const outputs = verifyOutputs(ctx.curve, ctx.ring, request.outputs, ctx.settings.limits, now)
  const inputs = await verifyInputs(
    ctx.curve,
    ctx.ring,
    ctx.signer,
    request.inputs,
    request,
    ctx.settings.limits,
    now,
  )
  assertBalanced(inputs, outputs)
  const operationId = newId(ctx.clock.nowMs())
  const signatures = await signOutputs(ctx.signer, request.outputs, operationId, outputs.points)
  try {
    await ctx.store.recordSpend(toProofRecords(request.inputs, inputs, 'SPENT', operationId), signatures)
  } catch (error) {
    const B_s = request.outputs.map((o) => o.B_)
    const earlier =
      error instanceof StoreConflictError && (await earlierSignatures(ctx.store, inputs.ys, B_s))
    if (earlier) return { signatures: earlier.map(toBlindSignature) }
    await explainConflict(ctx.store, error, inputs.ys)
  }
  ctx.emit({ kind: 'proof_state', ys: inputs.ys, state: 'SPENT' })
  return { signatures: signatures.map(toBlindSignature) }
}
