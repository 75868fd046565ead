/**
 * Signs outputs with the keyset keys (NUT-00 + NUT-12 DLEQ). CPU only: callers sign before they
 * open a transaction, then store the signatures in it, so no lock is held while signing. Stored
 * signatures are read back in the order of the outputs they sign (restore, replays, melt change).
 */
import { signBlindedMessage } from '../../crypto/bdhke.ts'
import { bytesToHex, hexToBytes } from '../../crypto/bytes.ts'
import type { CurveBackend } from '../../crypto/curve-backend.ts'
import type { BlindedMessage, BlindSignature } from '../../protocol/schemas/nut00.ts'
import type { MintStoreTx, SignatureRecord } from '../ports/store.ts'
import type { KeysetRing } from './keyset-ring.ts'

/** The stored signatures on these B_, in their order; undefined where a B_ was never signed. */
export async function storedSignatures(
  store: MintStoreTx,
  blindedMessages: readonly string[],
): Promise<(SignatureRecord | undefined)[]> {
  const byB = new Map((await store.findSignatures(blindedMessages)).map((s) => [s.B_, s]))
  return blindedMessages.map((B_) => byB.get(B_))
}

/** `points`: the outputs' B_ uncompressed when verifyOutputs just gave them (else each is decompressed here). */
export function signOutputs(
  curve: CurveBackend,
  ring: KeysetRing,
  outputs: readonly BlindedMessage[],
  operationId: string,
  points?: readonly Uint8Array[],
): SignatureRecord[] {
  return outputs.map((output, i) => {
    const pair = ring.get(output.id).keyset.keys.get(output.amount)
    if (!pair) throw new Error(`no key for amount ${output.amount} (outputs must be verified first)`)
    const { C_, dleq } = signBlindedMessage(
      curve,
      pair.privateKey,
      pair.publicKey,
      points?.[i] ?? hexToBytes(output.B_),
    )
    return {
      B_: output.B_,
      keysetId: output.id,
      amount: output.amount,
      C_: bytesToHex(C_),
      dleqE: bytesToHex(dleq.e),
      dleqS: bytesToHex(dleq.s),
      operationId,
    }
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
