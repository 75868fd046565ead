/**
 * NUT-00 tokens as the toolkit sees them: proofs from one mint in one unit. Serialized tokens carry
 * a version letter after `cashu` (A = V3 JSON, B = V4 CBOR), optionally behind a `cashu:` URI
 * prefix, in base64url with or without padding.
 */
import { base64urlnopad } from '@scure/base'
import { z } from 'zod'
import { ProofDleq } from '../protocol/schemas/nut00.ts'
import { amount, point, secret } from '../protocol/schemas/primitives.ts'

/**
 * A proof inside a token. Its `id` may be a short keyset id (the first 8 bytes of a v2 id, NUT-00
 * V4); resolve it with `resolveKeysetIds` before spending.
 */
export const TokenProof = z.object({
  amount,
  id: z
    .string()
    .regex(/^(?:[0-9a-fA-F]{16}|01[0-9a-fA-F]{64})$/, 'keyset id must be 8 or 33 bytes of hex')
    .transform((value) => value.toLowerCase()),
  secret,
  C: point('C'),
  witness: z.string().optional(),
  dleq: ProofDleq.optional(),
})
export type TokenProof = z.output<typeof TokenProof>

export interface Token {
  /** Mint URL without trailing slashes. */
  mint: string
  unit?: string | undefined
  memo?: string | undefined
  proofs: TokenProof[]
}

export class TokenError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TokenError'
  }
}

export function normalizeMintUrl(url: string): string {
  return url.replace(/\/+$/, '')
}

/** Decodes base64 in either alphabet, with or without padding. */
export function decodeBase64Url(text: string): Uint8Array {
  const normalized = text.replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_')
  try {
    return base64urlnopad.decode(normalized)
  } catch {
    throw new TokenError('token is not valid base64')
  }
}

export function encodeBase64Url(bytes: Uint8Array): string {
  return base64urlnopad.encode(bytes)
}

/** Splits `cashu:cashuB...` into its version letter and payload. */
export function splitSerializedToken(serialized: string): { version: string; payload: string } {
  const text = serialized.trim().replace(/^cashu:/i, '')
  if (!text.startsWith('cashu') || text.length < 7) throw new TokenError('token must start with "cashu"')
  return { version: text.charAt(5), payload: text.slice(6) }
}

/**
 * Replaces short keyset ids with the full ids they name among `knownIds`. Fails when a short id is
 * unknown or ambiguous, as NUT-00 requires.
 */
export function resolveKeysetIds(token: Token, knownIds: readonly string[]): Token {
  const resolve = (id: string): string => {
    if (knownIds.includes(id)) return id
    const matches = knownIds.filter((known) => known.startsWith(id))
    if (matches.length === 1) return matches[0] as string
    throw new TokenError(
      matches.length === 0 ? `unknown keyset id ${id}` : `short keyset id ${id} is ambiguous`,
    )
  }
  return { ...token, proofs: token.proofs.map((proof) => ({ ...proof, id: resolve(proof.id) })) }
}

export function tokenAmount(token: Token): bigint {
  return token.proofs.reduce((sum, proof) => sum + proof.amount, 0n)
}
