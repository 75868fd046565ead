/**
 * Outputs signed by the signer (NUT-00 + NUT-12 DLEQ). Callers sign before they open a transaction,
 * then store the signatures in it, so no lock is held while signing. Stored signatures are read back
 * in the order of the outputs they sign (restore, replays, melt change).
 */
import type { BlindedMessage, BlindSignature } from '../../protocol/schemas/nut00.ts'
import type { SignedOutput, Signer } from '../ports/signer.ts'
import type { MintStoreTx, SignatureRecord } from '../ports/store.ts'

/** The stored signatures on these B_, in their order; undefined where a B_ was never signed. */
export async function storedSignatures(
  store: MintStoreTx,
  blindedMessages: readonly string[],
): Promise<(SignatureRecord | undefined)[]> {
  const byB = new Map((await store.findSignatures(blindedMessages)).map((s) => [s.B_, s]))
  return blindedMessages.map((B_) => byB.get(B_))
}

/**
 * The signer's signatures on verified outputs, in one call for all of them. `points`: the outputs'
 * B_ uncompressed when verifyOutputs just gave them (a local signer then decompresses nothing).
 */
export async function signOutputs(
  signer: Signer,
  outputs: readonly BlindedMessage[],
  operationId: string,
  points?: readonly Uint8Array[],
): Promise<SignatureRecord[]> {
  if (outputs.length === 0) return []
  const signed = await signer.blindSign(outputs, points)
  if (signed.length !== outputs.length)
    throw new Error(`the signer signed ${signed.length} of ${outputs.length} outputs`)
  return outputs.map((output, i) => {
    const { C_, dleqE, dleqS } = signed[i] as SignedOutput
    return { B_: output.B_, keysetId: output.id, amount: output.amount, C_, dleqE, dleqS, operationId }
  })
}

/** The wire form of a stored signature (NUT-00 BlindSignature with NUT-12 DLEQ). */
export function toBlindSignature(record: SignatureRecord): BlindSignature {
  return {
    id: record.keysetId,
    amount: record.amount,
    C_: record.C_,
    dleq: { e: record.dleqE, s: record.dleqS },
  }
}
