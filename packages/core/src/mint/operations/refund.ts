/**
 * Refunds: a service that took ecash as payment (redeem.ts) and then could not deliver gives the
 * price back, or part of it, once per receipt, as proofs the mint makes (mint-made-proofs.ts). The refund and its
 * signatures are written in one transaction; asking again returns the same proofs, so a lost answer
 * loses nothing. The NUT-02 input fee the token paid when it was redeemed is not refunded.
 */
import { ErrorCode, MintError } from '../../protocol/errors.ts'
import type { Proof } from '../../protocol/schemas/nut00.ts'
import type { MintContext } from '../context/mint-context.ts'
import { mintMadeOutputs, mintMadeProofs } from '../keysets/mint-made-proofs.ts'
import { signOutputs, storedSignatures } from '../keysets/signatures.ts'
import { nowSeconds } from '../ports/clock.ts'
import { type RefundRecord, type SignatureRecord, StoreConflictError } from '../ports/store.ts'
import { newId } from '../primitives/ids.ts'

export interface RefundRequest {
  receiptId: string
  /** Part of the price (a hold's settlement gives back what it did not keep); default all of it. */
  amount?: bigint | undefined
  /** Why, for the operator's books. */
  reason?: string | undefined
}

export interface Refund {
  id: string
  receiptId: string
  unit: string
  amount: bigint
  reason: string | null
  createdAt: bigint
}

export interface RefundResult {
  refund: Refund
  /** Worth the receipt's price, for the payer; they should swap them. */
  proofs: Proof[]
  /** True when the receipt had been refunded before: these are the same proofs. */
  replayed: boolean
}

const refundOf = ({ outputs: _, ...refund }: RefundRecord): Refund => refund

async function replay(ctx: MintContext, record: RefundRecord): Promise<RefundResult> {
  const signatures = (await storedSignatures(ctx.store, record.outputs)) as SignatureRecord[]
  return { refund: refundOf(record), proofs: mintMadeProofs(ctx, signatures, record.id), replayed: true }
}

export async function refund(ctx: MintContext, request: RefundRequest): Promise<RefundResult> {
  const receipt = await ctx.store.getReceipt(request.receiptId)
  if (!receipt) throw new MintError(ErrorCode.MALFORMED_REQUEST, `receipt: no receipt ${request.receiptId}`)
  const earlier = await ctx.store.findRefund(receipt.id)
  if (earlier) return replay(ctx, earlier)
  const amount = request.amount ?? receipt.amount
  if (amount < 0n || amount > receipt.amount)
    throw new MintError(ErrorCode.MALFORMED_REQUEST, `amount: at most the receipt's ${receipt.amount}`)
  const id = newId(ctx.clock.nowMs())
  const outputs = mintMadeOutputs(ctx, receipt.unit, amount, id)
  const signatures = await signOutputs(ctx.signer, outputs, id)
  const record: RefundRecord = {
    id,
    receiptId: receipt.id,
    unit: receipt.unit,
    amount,
    outputs: outputs.map((o) => o.B_),
    reason: request.reason ?? null,
    createdAt: nowSeconds(ctx.clock),
  }
  try {
    await ctx.store.transaction(async (tx) => {
      await tx.insertRefund(record)
      await tx.insertSignatures(signatures)
    })
  } catch (error) {
    // A concurrent refund of the same receipt won: answer with its proofs.
    const winner =
      error instanceof StoreConflictError && error.conflict === 'refund'
        ? await ctx.store.findRefund(receipt.id)
        : undefined
    if (winner) return replay(ctx, winner)
    throw error
  }
  return { refund: refundOf(record), proofs: mintMadeProofs(ctx, signatures, id), replayed: false }
}
