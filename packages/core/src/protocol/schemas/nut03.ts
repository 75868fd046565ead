/** NUT-03: swap. Inputs are spent and outputs of equal value (less fees) are signed, atomically. */
import { z } from 'zod'
import { BlindedMessage, BlindSignature, Proof } from './nut00.ts'
import { list } from './primitives.ts'

export const PostSwapRequest = z.object({
  inputs: list(Proof, 'inputs').min(1, 'inputs must not be empty'),
  outputs: list(BlindedMessage, 'outputs').min(1, 'outputs must not be empty'),
})
export type PostSwapRequest = z.output<typeof PostSwapRequest>

export const PostSwapResponse = z.object({ signatures: z.array(BlindSignature) })
export type PostSwapResponse = z.output<typeof PostSwapResponse>
