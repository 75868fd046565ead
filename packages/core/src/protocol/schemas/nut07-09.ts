/** NUT-07 (token state check) and NUT-09 (restore signatures). */
import { z } from 'zod'
import { BlindedMessage, BlindSignature } from './nut00.ts'
import { list, point } from './primitives.ts'

export const ProofStateValue = z.enum(['UNSPENT', 'PENDING', 'SPENT'])
export type ProofStateValue = z.output<typeof ProofStateValue>

export const PostCheckStateRequest = z.object({
  Ys: list(point('Y'), 'Ys').min(1, 'Ys must not be empty'),
})
export type PostCheckStateRequest = z.output<typeof PostCheckStateRequest>

export const ProofState = z.object({
  Y: point('Y'),
  state: ProofStateValue,
  witness: z.string().nullable().optional(),
})
export type ProofState = z.output<typeof ProofState>

export const PostCheckStateResponse = z.object({ states: z.array(ProofState) })
export type PostCheckStateResponse = z.output<typeof PostCheckStateResponse>

export const PostRestoreRequest = z.object({
  outputs: list(BlindedMessage, 'outputs').min(1, 'outputs must not be empty'),
})
export type PostRestoreRequest = z.output<typeof PostRestoreRequest>

/** `promises` duplicates `signatures` for wallets that predate the rename. */
export const PostRestoreResponse = z.object({
  outputs: z.array(BlindedMessage),
  signatures: z.array(BlindSignature),
  promises: z.array(BlindSignature).optional(),
})
export type PostRestoreResponse = z.output<typeof PostRestoreResponse>
