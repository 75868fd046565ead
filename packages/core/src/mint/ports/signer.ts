/**
 * The signer: the one part of a mint that holds keyset private keys. It signs outputs (NUT-00 with
 * NUT-12 DLEQ), checks inputs' signatures, lists its keysets' public keys and makes new keysets.
 * In-process by default (keysets/local-signer.ts, from the seed); or another process over gRPC with
 * mutual TLS (CDK's signatory protocol), so the internet-facing process holds no key. Every call
 * takes a whole request's outputs or inputs at once. A signer that cannot be reached throws
 * UnavailableError('signer').
 */
import type { BlindedMessage, Proof } from '../../protocol/schemas/nut00.ts'

/** A keyset as the signer knows it: its public keys (compressed hex) by amount. */
export interface SignerKeyset {
  id: string
  unit: string
  active: boolean
  inputFeePpk: bigint
  finalExpiry: bigint | null
  keys: ReadonlyMap<bigint, string>
}

export interface SignerKeysets {
  /** The mint's NUT-06 `pubkey`. */
  publicKey: string
  /** Every keyset, inactive ones too. */
  keysets: SignerKeyset[]
}

/** A new keyset for a unit, which becomes its active one (the unit's others retire). */
export interface RotationRequest {
  unit: string
  inputFeePpk: bigint
  /** Amounts 2^0 .. 2^(amountCount-1). */
  amountCount: number
  finalExpiry?: bigint | undefined
}

/** C_ and its DLEQ (e, s), hex. */
export interface SignedOutput {
  C_: string
  dleqE: string
  dleqS: string
}

export interface Signer {
  /** `local` signs in this process from the seed; `remote` is another process. */
  readonly kind: 'local' | 'remote'
  keysets(): Promise<SignerKeysets>
  /** Signs every output, in their order; `points` are the B_ already decompressed, where known. */
  blindSign(outputs: readonly BlindedMessage[], points?: readonly Uint8Array[]): Promise<SignedOutput[]>
  /** Whether every proof's C is its keyset's signature on its secret; `ys` are hash_to_curve(secret), where known. */
  verifyProofs(proofs: readonly Proof[], ys?: readonly Uint8Array[]): Promise<boolean>
  rotate(request: RotationRequest): Promise<SignerKeyset>
  /** Tells `listener` when the keysets changed elsewhere (a rotation through another client). */
  watch?(listener: () => void): () => void
  close?(): Promise<void>
}
