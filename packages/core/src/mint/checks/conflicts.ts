/**
 * Turns a uniqueness conflict from the store into the NUT error a wallet understands. The database
 * constraint is the final double-spend defence; this only names what it refused.
 */
import { ErrorCode, MintError } from '../../protocol/errors.ts'
import { storedSignatures } from '../keysets/signatures.ts'
import { type MintStoreTx, type SignatureRecord, StoreConflictError } from '../ports/store.ts'

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

/**
 * NUT-19 in the engine: a request refused only because it was already done (every output signed by
 * one operation that also spent every input) gets that operation's signatures back, in the
 * request's order, instead of "already spent". A wallet that lost the answer to a crash, a dropped
 * connection or a concurrent retry gets its ecash. Nothing is revealed: restore (NUT-09) returns
 * signatures for any signed output anyway.
 */
export async function earlierSignatures(
  store: MintStoreTx,
  ys: readonly string[],
  blindedMessages: readonly string[],
): Promise<SignatureRecord[] | undefined> {
  const signatures = await storedSignatures(store, blindedMessages)
  const operation = signatures[0]?.operationId
  if (signatures.some((s) => s === undefined || s.operationId !== operation)) return undefined
  const proofs = ys.length === 0 ? [] : await store.findProofs(ys)
  if (proofs.length !== ys.length || proofs.some((p) => p.state !== 'SPENT' || p.operationId !== operation))
    return undefined
  return signatures as SignatureRecord[]
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
