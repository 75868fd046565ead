/**
 * Proofs the mint makes for a caller who brought no NUT-00 blinded outputs (redemption change,
 * refunds): B_ = Y = hash_to_curve(secret), a blinding factor of one, so the blind signature C_ is
 * the proof's C. The mint knows these secrets, so whoever receives the proofs should swap them.
 */
import { bytesToHex, randomHex } from '../crypto/bytes.ts'
import { hashSecretToCurve } from '../crypto/hash-to-curve.ts'
import { splitAmount } from '../protocol/amount.ts'
import { ErrorCode, MintError } from '../protocol/errors.ts'
import type { BlindedMessage, Proof } from '../protocol/schemas/nut00.ts'
import type { MintContext } from './context.ts'
import type { SignatureRecord } from './ports.ts'

/** Outputs worth `amount` on the unit's active keyset, and the secrets behind them. */
export function mintMadeOutputs(
  ctx: MintContext,
  unit: string,
  amount: bigint,
): { outputs: BlindedMessage[]; secrets: string[] } {
  const keyset = ctx.ring.active(unit)[0]
  if (!keyset) throw new MintError(ErrorCode.UNIT_UNSUPPORTED, `unit ${unit} has no active keyset`)
  const amounts = amount === 0n ? [] : splitAmount(amount)
  const secrets = amounts.map(() => randomHex(32))
  const outputs = amounts.map((value, i) => ({
    amount: value,
    id: keyset.record.id,
    B_: bytesToHex(hashSecretToCurve(ctx.curve, secrets[i] as string)),
  }))
  return { outputs, secrets }
}

/** The proofs from the signatures on mint-made outputs, in the same order as their secrets. */
export function mintMadeProofs(signatures: readonly SignatureRecord[], secrets: readonly string[]): Proof[] {
  return signatures.map((s, i) => ({
    amount: s.amount,
    id: s.keysetId,
    secret: secrets[i] as string,
    C: s.C_,
  }))
}
