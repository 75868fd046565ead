/**
 * NUT-10: the well-known secret `[kind, {nonce, data, tags?}]`. A secret that is not a JSON array
 * of a string kind and an object is an ordinary random secret. One that claims the format but breaks its rules
 * (tags that are not arrays of one or more non-empty strings, missing nonce or data) is malformed:
 * the proof is unspendable, never silently treated as anyone-can-spend.
 */
import { ErrorCode, MintError } from '../protocol/errors.ts'

export interface WellKnownSecret {
  kind: string
  nonce: string
  data: string
  tags: string[][]
}

const malformed = (why: string) =>
  new MintError(ErrorCode.PROOF_VERIFICATION_FAILED, `malformed secret: ${why}`)

function isTag(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length >= 1 &&
    value.every((item) => typeof item === 'string' && item.length > 0)
  )
}

/** The well-known secret in `secret`, or null for an ordinary secret; throws MintError if malformed. */
export function parseWellKnownSecret(secret: string): WellKnownSecret | null {
  if (!secret.startsWith('[')) return null
  let value: unknown
  try {
    value = JSON.parse(secret)
  } catch {
    return null
  }
  if (!Array.isArray(value) || typeof value[0] !== 'string') return null
  const [kind, body] = value as [string, unknown]
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null
  if (value.length !== 2) throw malformed('expected [kind, {nonce, data, tags}]')
  const { nonce, data } = body as Record<string, unknown>
  const tags = (body as Record<string, unknown>).tags ?? []
  if (typeof nonce !== 'string') throw malformed('nonce must be a string')
  if (typeof data !== 'string') throw malformed('data must be a string')
  if (!Array.isArray(tags) || !tags.every(isTag)) {
    throw malformed('tags must be arrays of one or more non-empty strings')
  }
  return { kind, nonce, data, tags }
}

/** The values of a tag, or undefined if absent; a tag that appears twice makes the secret malformed. */
export function uniqueTag(secret: WellKnownSecret, name: string): string[] | undefined {
  const found = secret.tags.filter((tag) => tag[0] === name)
  if (found.length > 1) throw malformed(`tag "${name}" appears more than once`)
  return found[0]?.slice(1)
}
