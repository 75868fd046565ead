/** NUT-00: decode any serialized token by its version letter. */
import { splitSerializedToken, type Token, TokenError } from './token.ts'
import { decodeTokenV3Payload } from './token-v3.ts'
import { decodeTokenV4Payload } from './token-v4.ts'

export function decodeToken(serialized: string): Token {
  const { version, payload } = splitSerializedToken(serialized)
  if (version === 'A') return decodeTokenV3Payload(payload)
  if (version === 'B') return decodeTokenV4Payload(payload)
  throw new TokenError(`unsupported token version "${version}"`)
}
