/**
 * NUT-21 clear auth and NUT-22 blind auth: the settings in /v1/info, BAT minting, and the
 * `Blind-auth` header (`authA` + base64url of `{"id","secret","C"}`, padded or not).
 */
import { base64urlnopad } from '@scure/base'
import { z } from 'zod'
import { utf8ToBytes } from '../../crypto/bytes.ts'
import { ErrorCode, MintError } from '../errors.ts'
import { parseJson } from '../json.ts'
import { BlindedMessage, BlindSignature } from './nut00.ts'
import { keysetId, list, point, secret } from './primitives.ts'

/** An endpoint a setting protects: an exact path, or a prefix ending in `*` (the only wildcard). */
export const ProtectedEndpoint = z.object({
  method: z.enum(['GET', 'POST']),
  path: z.string().regex(/^\/[^*\s]*\*?$/, 'path must start with / and may only end with the wildcard *'),
})
export type ProtectedEndpoint = z.output<typeof ProtectedEndpoint>

/** NUT-21 in /v1/info. */
export const ClearAuthSetting = z.object({
  openid_discovery: z.string(),
  client_id: z.string(),
  protected_endpoints: z.array(ProtectedEndpoint),
})

/** NUT-22 in /v1/info. */
export const BlindAuthSetting = z.object({
  bat_max_mint: z.bigint(),
  protected_endpoints: z.array(ProtectedEndpoint),
})

export const PostAuthBlindMintRequest = z.object({ outputs: list(BlindedMessage, 'outputs') })
export type PostAuthBlindMintRequest = z.output<typeof PostAuthBlindMintRequest>

export const PostAuthBlindMintResponse = z.object({ signatures: z.array(BlindSignature) })
export type PostAuthBlindMintResponse = z.output<typeof PostAuthBlindMintResponse>

/** A BAT as the header carries it: no amount (always 1), no DLEQ (it would identify the wallet). */
export const AuthProof = z.object({ id: keysetId, secret, C: point('C') })
export type AuthProof = z.output<typeof AuthProof>

const BAT_PREFIX = 'authA'
const UTF8 = new TextDecoder('utf-8', { fatal: true })
/** A header longer than this cannot be a BAT with a secret within MAX_SECRET_LENGTH. */
const MAX_BAT_LENGTH = 6_000

const refused = (detail: string) => new MintError(ErrorCode.BLIND_AUTH_FAILED, `Blind-auth: ${detail}`)

/** Decodes a `Blind-auth` header; anything that is not a BAT is refused with 31002. */
export function decodeBlindAuthToken(header: string): AuthProof {
  if (!header.startsWith(BAT_PREFIX)) throw refused('a BAT starts with authA')
  if (header.length > MAX_BAT_LENGTH) throw refused('too long')
  const encoded = header.slice(BAT_PREFIX.length)
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(encoded)) throw refused('not base64url')
  let value: unknown
  try {
    value = parseJson(UTF8.decode(base64urlnopad.decode(encoded.replace(/=+$/, ''))))
  } catch {
    throw refused('not JSON')
  }
  const parsed = AuthProof.safeParse(value)
  if (!parsed.success)
    throw refused(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
  return parsed.data
}

/** The `Blind-auth` header for a BAT (what a wallet sends; used by tests and tools). */
export const encodeBlindAuthToken = (proof: AuthProof): string =>
  BAT_PREFIX +
  base64urlnopad.encode(utf8ToBytes(JSON.stringify({ id: proof.id, secret: proof.secret, C: proof.C })))
