/**
 * NUT-08: change for an overpaid fee reserve. The overpaid amount is split into powers of two and
 * imprinted on the wallet's blank outputs in order, smallest first; outputs left over get nothing
 * and are not signed. If the wallet sent too few blank outputs for every part, the largest parts are
 * returned, so the least value is lost.
 */
import { splitAmount } from '../../protocol/amount.ts'
import type { BlindedMessage } from '../../protocol/schemas/nut00.ts'

export function assignChange(blankOutputs: readonly BlindedMessage[], change: bigint): BlindedMessage[] {
  if (change <= 0n || blankOutputs.length === 0) return []
  const parts = splitAmount(change).slice(-blankOutputs.length)
  return parts.map((amount, i) => ({ ...(blankOutputs[i] as BlindedMessage), amount }))
}
