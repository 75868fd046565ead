/**
 * NUT-00 V3 tokens (`cashuA`, deprecated but still in circulation): base64url JSON
 * `{token: [{mint, proofs}], unit?, memo?}`. Entries of one mint are merged; a token that spans
 * several mints is refused, since every operation here talks to a single mint.
 */
import { z } from 'zod'
import { parseJson, stringifyJson } from '../protocol/json.ts'
import {
  decodeBase64Url,
  encodeBase64Url,
  normalizeMintUrl,
  type Token,
  TokenError,
  TokenProof,
} from './token.ts'

const TokenV3Json = z.object({
  token: z.array(z.object({ mint: z.string().min(1), proofs: z.array(TokenProof).min(1) })).min(1),
  unit: z.string().optional(),
  memo: z.string().optional(),
})

export function decodeTokenV3Payload(payload: string): Token {
  let json: unknown
  try {
    json = parseJson(new TextDecoder('utf-8', { fatal: true }).decode(decodeBase64Url(payload)))
  } catch (error) {
    throw error instanceof TokenError ? error : new TokenError('V3 token is not valid JSON')
  }
  const parsed = TokenV3Json.safeParse(json)
  if (!parsed.success) throw new TokenError(`invalid V3 token: ${parsed.error.issues[0]?.message}`)
  const mints = new Set(parsed.data.token.map((entry) => normalizeMintUrl(entry.mint)))
  if (mints.size !== 1) throw new TokenError('tokens spanning several mints are not supported')
  return {
    mint: [...mints][0] as string,
    unit: parsed.data.unit,
    memo: parsed.data.memo,
    proofs: parsed.data.token.flatMap((entry) => entry.proofs),
  }
}

export function encodeTokenV3(token: Token): string {
  const json = {
    token: [{ mint: normalizeMintUrl(token.mint), proofs: token.proofs }],
    ...(token.unit === undefined ? {} : { unit: token.unit }),
    ...(token.memo === undefined ? {} : { memo: token.memo }),
  }
  return `cashuA${encodeBase64Url(new TextEncoder().encode(stringifyJson(json)))}`
}
