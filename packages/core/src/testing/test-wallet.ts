/**
 * A minimal wallet for tests of the engine and storage: blinds outputs and turns the mint's
 * signatures into proofs with this package's own wallet-side crypto. End-to-end tests use
 * @cashu/cashu-ts instead; this is for tests below the HTTP layer.
 */
import { randomBytes } from 'node:crypto'
import { blindMessage, unblindSignature } from '../crypto/bdhke.ts'
import { bytesToHex, hexToBytes } from '../crypto/bytes.ts'
import type { CurveBackend } from '../crypto/curve-backend.ts'
import { splitAmount } from '../protocol/amount.ts'
import type { BlindedMessage, BlindSignature, Proof } from '../protocol/schemas/nut00.ts'
import type { GetKeysResponse } from '../protocol/schemas/nut01-02.ts'

export interface BlindedOutputs {
  outputs: BlindedMessage[]
  secrets: string[]
  blindingFactors: Uint8Array[]
}

/** Outputs for the given amounts (default: the binary split of `total`), with random secrets. */
export function blindOutputs(
  curve: CurveBackend,
  keysetId: string,
  amounts: readonly bigint[],
  secretFor: (index: number) => string = () => bytesToHex(randomBytes(32)),
): BlindedOutputs {
  const secrets = amounts.map((_, i) => secretFor(i))
  const blindingFactors = amounts.map(() => Uint8Array.from(randomBytes(32)))
  const outputs = amounts.map((amount, i) => ({
    amount,
    id: keysetId,
    B_: bytesToHex(blindMessage(curve, secrets[i] as string, blindingFactors[i] as Uint8Array)),
  }))
  return { outputs, secrets, blindingFactors }
}

export const outputsFor = (curve: CurveBackend, keysetId: string, total: bigint) =>
  blindOutputs(curve, keysetId, splitAmount(total))

/** Unblinds the signatures for `blinded` (in order, possibly fewer, as for NUT-08 change). */
export function unblindProofs(
  curve: CurveBackend,
  keys: GetKeysResponse,
  blinded: BlindedOutputs,
  signatures: readonly BlindSignature[],
): Proof[] {
  return signatures.map((signature, i) => {
    const keyset = keys.keysets.find((k) => k.id === signature.id)
    const key = keyset?.keys[signature.amount.toString()]
    if (!key) throw new Error(`no public key for ${signature.id} amount ${signature.amount}`)
    const C = unblindSignature(
      curve,
      hexToBytes(signature.C_),
      blinded.blindingFactors[i] as Uint8Array,
      hexToBytes(key),
    )
    return {
      id: signature.id,
      amount: signature.amount,
      secret: blinded.secrets[i] as string,
      C: bytesToHex(C),
    }
  })
}
