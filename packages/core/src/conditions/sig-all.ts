/**
 * NUT-11 SIG_ALL message: secret_0 || C_0 || ... || secret_n || C_n || amount_0 || B__0 || ...
 * || amount_m || B__m [|| quote_id for a melt], as one string; C and B_ as hex, amounts in decimal.
 * Keyset ids are not part of it.
 */
export interface SigAllTransaction {
  inputs: readonly { secret: string; C: string }[]
  outputs: readonly { amount: bigint; B_: string }[]
  /** Melt only. */
  quoteId?: string | undefined
}

export function sigAllMessage({ inputs, outputs, quoteId }: SigAllTransaction): string {
  let message = ''
  for (const input of inputs) message += input.secret + input.C
  for (const output of outputs) message += output.amount.toString() + output.B_
  return message + (quoteId ?? '')
}
