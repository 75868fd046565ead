/**
 * NUT-10/11/14: checks that a transaction's inputs satisfy their spending conditions.
 *
 * Pathways (NUT-11): before `locktime` (or always, when there is none) the main keys must give
 * n_sigs signatures. After it, the main pathway still works and the refund keys may also spend with
 * n_sigs_refund signatures; with no refund keys the proof becomes spendable by anyone. HTLC
 * (NUT-14) adds the preimage to the main pathway, and with no `pubkeys` the preimage alone spends.
 *
 * SIG_ALL: if any input carries it, every input must share kind, data and tags, and only the first
 * input's witness is checked, against the aggregated message of the whole transaction.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, hexToBytes } from '../crypto/bytes.ts'
import { ErrorCode, MintError } from '../protocol/errors.ts'
import { type Lock, readLock } from './lock.ts'
import { parseWellKnownSecret, type WellKnownSecret } from './secret.ts'
import { type SigAllTransaction, sigAllMessage } from './sig-all.ts'
import { countValidSigners, parseWitness, type Witness } from './witness.ts'

export interface SpendInput {
  secret: string
  C: string
  witness?: string | undefined
}

const failed = (why: string) => new MintError(ErrorCode.PROOF_VERIFICATION_FAILED, why)
const PREIMAGE = /^[0-9a-fA-F]{64}$/

function preimageMatches(lock: Lock, witness: Witness): boolean {
  if (witness.preimage === undefined || !PREIMAGE.test(witness.preimage)) return false
  return bytesToHex(sha256(hexToBytes(witness.preimage))) === lock.hashLock
}

/** Throws MintError 10001 unless the witness unlocks `lock` for `message` at time `now` (unix seconds). */
export function assertUnlocked(lock: Lock, witness: Witness, message: string, now: bigint): void {
  const mainSigners = () => countValidSigners(lock.pubkeys, witness.signatures, message)
  const mainPathway =
    lock.kind === 'HTLC'
      ? preimageMatches(lock, witness) && (lock.pubkeys.length === 0 || mainSigners() >= lock.nSigs)
      : mainSigners() >= lock.nSigs
  if (mainPathway) return
  const expired = lock.locktime !== undefined && now > lock.locktime
  if (expired) {
    if (lock.refund.length === 0) return
    if (countValidSigners(lock.refund, witness.signatures, message) >= lock.nSigsRefund) return
  }
  if (lock.kind === 'HTLC' && !preimageMatches(lock, witness)) throw failed('HTLC: preimage missing or wrong')
  throw failed(`${lock.kind}: not enough valid signatures`)
}

const sameConditions = (a: WellKnownSecret, b: WellKnownSecret) =>
  a.kind === b.kind && a.data === b.data && JSON.stringify(a.tags) === JSON.stringify(b.tags)

/**
 * Verifies the spending conditions of every input of a swap or melt. `transaction` provides the
 * outputs (and quote id for a melt) for SIG_ALL. Inputs with ordinary secrets pass.
 */
export function assertSpendingConditions(
  inputs: readonly SpendInput[],
  transaction: Omit<SigAllTransaction, 'inputs'>,
  now: bigint,
): void {
  const secrets = inputs.map((input) => parseWellKnownSecret(input.secret))
  const locks = secrets.map((secret) => (secret === null ? null : readLock(secret)))
  const sigAllIndex = locks.findIndex((lock) => lock?.sigflag === 'SIG_ALL')
  if (sigAllIndex === -1) {
    locks.forEach((lock, i) => {
      const input = inputs[i] as SpendInput
      if (lock) assertUnlocked(lock, parseWitness(input.witness), input.secret, now)
    })
    return
  }
  const first = secrets[0]
  if (!first || !secrets.every((secret) => secret !== null && sameConditions(secret, first))) {
    throw failed('SIG_ALL inputs must all have the same kind, data and tags')
  }
  const [firstInput] = inputs as [SpendInput]
  const message = sigAllMessage({ ...transaction, inputs })
  assertUnlocked(locks[0] as Lock, parseWitness(firstInput.witness), message, now)
}
