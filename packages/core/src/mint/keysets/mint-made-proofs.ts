/**
 * Proofs the mint makes for a caller who brought no NUT-00 blinded outputs (redemption change,
 * refunds): B_ = Y = hash_to_curve(secret), a blinding factor of one, so the blind signature C_ is
 * the proof's C. The secrets are derived from the seed and the operation's id, so the database
 * keeps none of them and a retry gets the same proofs back. The mint can still spend them, so
 * whoever receives them should swap them (wallets do on receipt).
 */
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '../../crypto/bytes.ts'
import type { CurveBackend } from '../../crypto/curve-backend.ts'
import { hashSecretToCurve } from '../../crypto/hash-to-curve.ts'
import { type MintSeed, seedBytes } from '../../keys/seed.ts'
import { splitAmount } from '../../protocol/amount.ts'
import { ErrorCode, MintError } from '../../protocol/errors.ts'
import type { BlindedMessage, Proof } from '../../protocol/schemas/nut00.ts'
import type { SignatureRecord } from '../ports/store.ts'
import type { KeysetRing } from './keyset-ring.ts'

/** The key behind mint-made secrets: HMAC-SHA256 of the seed, apart from the keyset keys. */
export const mintMadeKey = (seed: MintSeed): Uint8Array =>
  hmac(sha256, utf8ToBytes('cashu-mint/mint-made-secrets'), seedBytes(seed))

/** What making proofs needs: the keysets to sign with and the key behind the secrets. */
export interface MintMadeKeys {
  curve: CurveBackend
  ring: KeysetRing
  mintMadeKey: Uint8Array
}

const secretOf = (key: Uint8Array, operationId: string, index: number): string =>
  bytesToHex(hmac(sha256, key, utf8ToBytes(`${operationId}/${index}`)))

/** Outputs worth `amount` on the unit's active keyset, for the operation `operationId`. */
export function mintMadeOutputs(
  ctx: MintMadeKeys,
  unit: string,
  amount: bigint,
  operationId: string,
): BlindedMessage[] {
  const keyset = ctx.ring.active(unit)[0]
  if (!keyset) throw new MintError(ErrorCode.UNIT_UNSUPPORTED, `unit ${unit} has no active keyset`)
  const amounts = amount === 0n ? [] : splitAmount(amount)
  return amounts.map((value, i) => ({
    amount: value,
    id: keyset.record.id,
    B_: bytesToHex(hashSecretToCurve(ctx.curve, secretOf(ctx.mintMadeKey, operationId, i))),
  }))
}

/** The proofs from the signatures on the operation's mint-made outputs, in their order. */
export function mintMadeProofs(
  ctx: MintMadeKeys,
  signatures: readonly SignatureRecord[],
  operationId: string,
): Proof[] {
  return signatures.map((s, i) => ({
    amount: s.amount,
    id: s.keysetId,
    secret: secretOf(ctx.mintMadeKey, operationId, i),
    C: s.C_,
  }))
}
