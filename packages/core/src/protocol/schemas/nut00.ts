/**
 * NUT-00: the base models: BlindedMessage (output), BlindSignature (promise) and Proof (input),
 * with the NUT-12 DLEQ fields they may carry.
 */
import { z } from 'zod'
import { amount, hex, keysetId, optionalField, point, secret } from './primitives.ts'

export const BlindedMessage = z.object({
  amount,
  id: keysetId,
  B_: point('B_'),
})
export type BlindedMessage = z.output<typeof BlindedMessage>

/** NUT-12: the mint's DLEQ proof (e, s). */
export const BlindSignatureDleq = z.object({
  e: hex(32, 'dleq.e'),
  s: hex(32, 'dleq.s'),
})

export const BlindSignature = z.object({
  amount,
  id: keysetId,
  C_: point('C_'),
  dleq: optionalField(BlindSignatureDleq),
})
export type BlindSignature = z.output<typeof BlindSignature>

/** NUT-12: a proof's DLEQ, with the blinding factor r that lets another user check it. */
export const ProofDleq = BlindSignatureDleq.extend({ r: hex(32, 'dleq.r') })

export const Proof = z.object({
  amount,
  id: keysetId,
  secret,
  C: point('C'),
  /** NUT-10/11/14: the witness, a JSON string. */
  witness: optionalField(z.string().max(16_384, 'witness is too long')),
  dleq: optionalField(ProofDleq),
})
export type Proof = z.output<typeof Proof>
