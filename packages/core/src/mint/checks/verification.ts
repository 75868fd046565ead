/**
 * Every semantic check a mint makes on a request's inputs and outputs, in one place (NUT-00..05,
 * 10, 11, 14), after the schema has checked shapes. Pure except for the inputs' signatures, which
 * the signer checks; each failure is a MintError with its NUT code.
 */

import { assertSpendingConditions } from '../../conditions/spend.ts'
import { bytesToHex, hexToBytes } from '../../crypto/bytes.ts'
import type { CurveBackend } from '../../crypto/curve-backend.ts'
import { hashSecretToCurve } from '../../crypto/hash-to-curve.ts'
import { sumAmounts } from '../../protocol/amount.ts'
import { ErrorCode, MintError } from '../../protocol/errors.ts'
import { inputFee } from '../../protocol/fees.ts'
import type { BlindedMessage, Proof } from '../../protocol/schemas/nut00.ts'
import type { KeysetRing, LoadedKeyset } from '../keysets/keyset-ring.ts'
import type { Signer } from '../ports/signer.ts'
import type { ProofRecord, StoredProofState } from '../ports/store.ts'

export interface Limits {
  maxInputs: number
  maxOutputs: number
}

export interface VerifiedInputs {
  unit: string
  /** Y per input, in request order. */
  ys: string[]
  amount: bigint
  fee: bigint
}

export interface VerifiedOutputs {
  unit: string
  amount: bigint
  /** Each B_ uncompressed, as checking it found it, so signing takes no second square root. */
  points: Uint8Array[]
}

const notAPoint = (field: string) =>
  new MintError(ErrorCode.MALFORMED_REQUEST, `${field}: not a point on the curve`)

/**
 * A compressed point from a request (the schema checked its encoding) that must be on the curve,
 * answered uncompressed: decompressing is the check.
 */
function curvePoint(curve: CurveBackend, hex: string, field: string): Uint8Array {
  const bytes = hexToBytes(hex)
  if (bytes.length !== 33) throw notAPoint(field)
  try {
    return curve.decompress(bytes)
  } catch {
    throw notAPoint(field)
  }
}

/** curvePoint's check alone, for a point the caller keeps as hex. */
export function assertPoint(curve: CurveBackend, hex: string, field: string): void {
  curvePoint(curve, hex, field)
}

function singleUnit(keysets: LoadedKeyset[], what: string): string {
  const units = new Set(keysets.map((k) => k.record.unit))
  if (units.size > 1) throw new MintError(ErrorCode.MULTIPLE_UNITS, `${what} use more than one unit`)
  return keysets[0]?.record.unit as string
}

function assertAmountHasKey(loaded: LoadedKeyset, amount: bigint, field: string): void {
  if (!loaded.keyset.keys.has(amount)) {
    throw new MintError(
      ErrorCode.MALFORMED_REQUEST,
      `${field}: ${amount} has no key in keyset ${loaded.record.id}`,
    )
  }
}

/**
 * NUT-00/02: outputs to sign: unique, B_ on the curve, of active keysets of one unit, with amounts
 * the keyset has. NUT-08 blank outputs (`blank`) carry no meaningful amount yet: the mint imprints
 * it later.
 */
export function verifyOutputs(
  curve: CurveBackend,
  ring: KeysetRing,
  outputs: readonly BlindedMessage[],
  limits: Limits,
  now: bigint,
  blank = false,
): VerifiedOutputs {
  if (outputs.length > limits.maxOutputs) {
    throw new MintError(ErrorCode.MAX_OUTPUTS_EXCEEDED, `at most ${limits.maxOutputs} outputs per request`)
  }
  if (new Set(outputs.map((o) => o.B_)).size !== outputs.length) {
    throw new MintError(ErrorCode.DUPLICATE_OUTPUTS, 'duplicate outputs')
  }
  const points = outputs.map((output, i) => curvePoint(curve, output.B_, `outputs.${i}.B_`))
  const keysets = outputs.map((output, i) => {
    const loaded = ring.get(output.id)
    if (!loaded.record.active)
      throw new MintError(ErrorCode.KEYSET_INACTIVE, `keyset ${output.id} is inactive`)
    assertNotExpired(loaded, now)
    if (!blank) assertAmountHasKey(loaded, output.amount, `outputs.${i}.amount`)
    return loaded
  })
  return {
    unit: singleUnit(keysets, 'outputs'),
    amount: blank ? 0n : sumAmounts(outputs.map((o) => o.amount)),
    points,
  }
}

function assertNotExpired(loaded: LoadedKeyset, now: bigint): void {
  const expiry = loaded.record.finalExpiry
  if (expiry !== null && now >= expiry) {
    throw new MintError(ErrorCode.KEYSET_EXPIRED, `keyset ${loaded.record.id} has expired`)
  }
}

/**
 * NUT-00/02/10/11/14: inputs to spend: unique, of known unexpired keysets of one unit, their
 * spending conditions met, and each with a valid signature, which the signer checks for all of
 * them in one call (last, as the one check that may leave this process). `transaction` feeds SIG_ALL.
 */
export async function verifyInputs(
  curve: CurveBackend,
  ring: KeysetRing,
  signer: Signer,
  inputs: readonly Proof[],
  transaction: { outputs: readonly BlindedMessage[]; quoteId?: string },
  limits: Limits,
  now: bigint,
): Promise<VerifiedInputs> {
  if (inputs.length > limits.maxInputs) {
    throw new MintError(ErrorCode.MAX_INPUTS_EXCEEDED, `at most ${limits.maxInputs} inputs per request`)
  }
  if (new Set(inputs.map((p) => p.secret)).size !== inputs.length) {
    throw new MintError(ErrorCode.DUPLICATE_INPUTS, 'duplicate inputs')
  }
  const keysets = inputs.map((proof, i) => {
    const loaded = ring.get(proof.id)
    assertNotExpired(loaded, now)
    assertAmountHasKey(loaded, proof.amount, `inputs.${i}.amount`)
    return loaded
  })
  const unit = singleUnit(keysets, 'inputs')
  const points = inputs.map((proof) => hashSecretToCurve(curve, proof.secret))
  const ys = points.map(bytesToHex)
  // Two different secrets cannot share a Y unless hash_to_curve collides; check anyway, it is free.
  if (new Set(ys).size !== ys.length) throw new MintError(ErrorCode.DUPLICATE_INPUTS, 'duplicate inputs')
  assertSpendingConditions(inputs, transaction, now)
  if (!(await signer.verifyProofs(inputs, points)))
    throw new MintError(ErrorCode.PROOF_VERIFICATION_FAILED, 'proof signature does not verify')
  return {
    unit,
    ys,
    amount: sumAmounts(inputs.map((p) => p.amount)),
    fee: inputFee(keysets.map((k) => k.record.inputFeePpk)),
  }
}

/** NUT-02/03: inputs pay for outputs plus fees exactly, in one unit. */
export function assertBalanced(inputs: VerifiedInputs, outputs: VerifiedOutputs): void {
  if (inputs.unit !== outputs.unit) {
    throw new MintError(ErrorCode.INPUT_OUTPUT_UNIT_MISMATCH, 'inputs and outputs are not of the same unit')
  }
  if (inputs.amount - inputs.fee !== outputs.amount) {
    throw new MintError(
      ErrorCode.TRANSACTION_UNBALANCED,
      `inputs (${inputs.amount}) minus fees (${inputs.fee}) must equal outputs (${outputs.amount})`,
    )
  }
}

/** The verified inputs as the store keeps them. */
export function toProofRecords(
  inputs: readonly Proof[],
  verified: VerifiedInputs,
  state: StoredProofState,
  operationId: string,
): ProofRecord[] {
  return inputs.map((proof, i) => ({
    y: verified.ys[i] as string,
    keysetId: proof.id,
    amount: proof.amount,
    secret: proof.secret,
    C: proof.C,
    witness: proof.witness ?? null,
    state,
    operationId,
  }))
}
