/**
 * Redeeming ecash as payment: a service charges `amount` in a unit and the mint spends the proofs
 * of the token it was given, in one transaction with a receipt, like a swap whose outputs are only
 * the change. A token is redeemed once (its receipt is keyed by the hash of its Ys and the proofs
 * become SPENT). A retry with the caller's idempotency key gets the same receipt and change back;
 * anything else that presents a redeemed token is refused with 11001.
 *
 * Change goes to the NUT-00 blinded outputs the caller supplies, or, without them, into proofs the
 * mint makes itself (mint-made-proofs.ts) for the caller to hand on as a token; a retry gets the
 * same proofs back. The holder should swap them.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '../../crypto/bytes.ts'
import { ErrorCode, MintError } from '../../protocol/errors.ts'
import type { BlindedMessage, BlindSignature, Proof } from '../../protocol/schemas/nut00.ts'
import { explainConflict } from '../checks/conflicts.ts'
import { toProofRecords, verifyInputs, verifyOutputs } from '../checks/verification.ts'
import type { MintContext } from '../context/mint-context.ts'
import { mintMadeOutputs, mintMadeProofs } from '../keysets/mint-made-proofs.ts'
import { signOutputs, storedSignatures, toBlindSignature } from '../keysets/signatures.ts'
import { nowSeconds } from '../ports/clock.ts'
import { type ReceiptRecord, type SignatureRecord, StoreConflictError } from '../ports/store.ts'
import { newId } from '../primitives/ids.ts'

export interface RedeemRequest {
  proofs: readonly Proof[]
  unit: string
  /** The price, in the unit. */
  amount: bigint
  /** Blinded outputs for the change, summing to exactly the change. Without them the mint makes change proofs. */
  outputs?: readonly BlindedMessage[] | undefined
  /** The caller's idempotency key (a request or order id): a retry with it returns the same receipt. */
  key?: string | undefined
  memo?: string | undefined
  /** Charge what the token is worth after its input fee, at least `amount`, and give no change (a stamp). */
  whole?: boolean | undefined
  /** Hold the charge until it is settled (holds.ts): the receipt is a hold that expires after `ttlSeconds`. */
  hold?: { ttlSeconds: bigint; onExpiry: 'keep' | 'return' } | undefined
}

export interface Receipt {
  id: string
  unit: string
  /** The price charged. */
  amount: bigint
  /** What the token was worth. */
  inputAmount: bigint
  /** Its NUT-02 input fee. */
  fee: bigint
  change: bigint
  memo: string | null
  createdAt: bigint
}

export interface Redemption {
  receipt: Receipt
  /** Signatures on the caller's outputs, or change proofs the mint made; empty without change. */
  change: { signatures: BlindSignature[] } | { proofs: Proof[] }
  /** True when this is the receipt of an earlier call with the same key. */
  replayed: boolean
}

/** One receipt per token: the hash of its proofs' Ys, sorted. */
export function tokenHash(ys: readonly string[]): string {
  return bytesToHex(sha256(utf8ToBytes([...ys].sort().join(''))))
}

const receiptOf = (record: ReceiptRecord): Receipt => ({
  id: record.id,
  unit: record.unit,
  amount: record.amount,
  inputAmount: record.inputAmount,
  fee: record.fee,
  change: record.change,
  memo: record.memo,
  createdAt: record.createdAt,
})

function changeOf(
  ctx: MintContext,
  signatures: readonly SignatureRecord[],
  receipt: ReceiptRecord,
): Redemption['change'] {
  if (!receipt.changeByMint) return { signatures: signatures.map(toBlindSignature) }
  return { proofs: mintMadeProofs(ctx, signatures, receipt.id) }
}

async function replay(
  ctx: MintContext,
  receipt: ReceiptRecord,
  key: string | undefined,
): Promise<Redemption> {
  if (key === undefined || receipt.key !== key) {
    throw new MintError(
      ErrorCode.PROOFS_ALREADY_SPENT,
      `this token was already redeemed (receipt ${receipt.id})`,
    )
  }
  const signatures = (await storedSignatures(ctx.store, receipt.changeOutputs)) as SignatureRecord[]
  return { receipt: receiptOf(receipt), change: changeOf(ctx, signatures, receipt), replayed: true }
}

export async function redeem(ctx: MintContext, request: RedeemRequest): Promise<Redemption> {
  if (request.proofs.length === 0)
    throw new MintError(ErrorCode.MALFORMED_REQUEST, 'token: the token holds no proofs')
  if (request.amount <= 0n)
    throw new MintError(ErrorCode.MALFORMED_REQUEST, 'amount: the price must be positive')
  const now = nowSeconds(ctx.clock)
  const given = request.outputs ?? []
  const inputs = await verifyInputs(
    ctx.curve,
    ctx.ring,
    ctx.signer,
    request.proofs,
    { outputs: given },
    ctx.settings.limits,
    now,
  )
  if (inputs.unit !== request.unit) {
    throw new MintError(
      ErrorCode.INPUT_OUTPUT_UNIT_MISMATCH,
      `the token is in ${inputs.unit}, the price in ${request.unit}`,
    )
  }
  const hash = tokenHash(inputs.ys)
  const earlier = await ctx.store.findReceipt(hash)
  if (earlier) return replay(ctx, earlier, request.key)
  const worth = inputs.amount - inputs.fee
  if (worth < request.amount) {
    throw new MintError(
      ErrorCode.TRANSACTION_UNBALANCED,
      `the token is worth ${worth} ${inputs.unit} after fees, the price is ${request.amount}`,
    )
  }
  const amount = request.whole ? worth : request.amount
  const change = worth - amount
  const id = newId(ctx.clock.nowMs())
  const byMint = request.outputs === undefined
  const outputs = byMint ? mintMadeOutputs(ctx, request.unit, change, id) : given
  if (!byMint) {
    const verified = verifyOutputs(ctx.curve, ctx.ring, given, ctx.settings.limits, now)
    if (given.length > 0 && verified.unit !== request.unit)
      throw new MintError(
        ErrorCode.INPUT_OUTPUT_UNIT_MISMATCH,
        'change outputs are not in the unit of the price',
      )
    if (verified.amount !== change)
      throw new MintError(ErrorCode.TRANSACTION_UNBALANCED, `change outputs must add up to ${change}`)
  }
  const signatures = await signOutputs(ctx.signer, outputs, id)
  const receipt: ReceiptRecord = {
    id,
    tokenHash: hash,
    key: request.key ?? null,
    unit: request.unit,
    amount,
    inputAmount: inputs.amount,
    fee: inputs.fee,
    change,
    changeOutputs: outputs.map((o) => o.B_),
    changeByMint: byMint,
    memo: request.memo ?? null,
    createdAt: now,
  }
  try {
    await ctx.store.transaction(async (tx) => {
      await tx.insertReceipt(receipt)
      if (request.hold)
        await tx.insertHold({
          receiptId: id,
          expiresAt: now + request.hold.ttlSeconds,
          onExpiry: request.hold.onExpiry,
        })
      await tx.insertProofs(toProofRecords(request.proofs, inputs, 'SPENT', id))
      await tx.insertSignatures(signatures)
    })
  } catch (error) {
    // A concurrent redemption of the same token won: answer as if it had come first.
    if (error instanceof StoreConflictError && error.conflict === 'receipt') {
      const winner = await ctx.store.findReceipt(hash)
      if (winner) return replay(ctx, winner, request.key)
    }
    await explainConflict(ctx.store, error, inputs.ys)
  }
  ctx.emit({ kind: 'proof_state', ys: inputs.ys, state: 'SPENT' })
  return { receipt: receiptOf(receipt), change: changeOf(ctx, signatures, receipt), replayed: false }
}
