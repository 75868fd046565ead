/**
 * Turns a uniqueness conflict from the store into the NUT error a wallet understands. The database
 * constraint is the final double-spend defence; this only names what it refused.
 */
import { ErrorCode, MintError } from '../protocol/errors.ts'
import { type MintStoreTx, StoreConflictError } from './ports.ts'

export async function explainConflict(
  store: MintStoreTx,
  error: unknown,
  ys: readonly string[],
): Promise<never> {
  if (!(error instanceof StoreConflictError)) throw error
  if (error.conflict === 'signature')
    throw new MintError(ErrorCode.OUTPUTS_ALREADY_SIGNED, 'outputs have already been signed')
  if (error.conflict === 'proof') {
    const found = await store.findProofs(ys)
    if (found.some((p) => p.state === 'PENDING'))
      throw new MintError(ErrorCode.PROOFS_PENDING, 'proofs are pending')
    throw new MintError(ErrorCode.PROOFS_ALREADY_SPENT, 'proofs are already spent')
  }
  throw error
}

/** Cheap checks before signing, so a replayed request fails before it costs CPU. */
export async function assertUnspentAndUnsigned(
  store: MintStoreTx,
  ys: readonly string[],
  blindedMessages: readonly string[],
): Promise<void> {
  const [proofs, signatures] = await Promise.all([
    store.findProofs(ys),
    store.findSignatures(blindedMessages),
  ])
  if (proofs.some((p) => p.state === 'SPENT'))
    throw new MintError(ErrorCode.PROOFS_ALREADY_SPENT, 'proofs are already spent')
  if (proofs.length > 0) throw new MintError(ErrorCode.PROOFS_PENDING, 'proofs are pending')
  if (signatures.length > 0)
    throw new MintError(ErrorCode.OUTPUTS_ALREADY_SIGNED, 'outputs have already been signed')
}
