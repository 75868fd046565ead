/**
 * NUT-21: verifies a `Clear-auth` token, the access token (a JWT) a wallet got from the operator's
 * OpenID Connect provider. The provider's keys come from its discovery document (`jwks_uri`) and are
 * cached; a token signed with a key not seen yet refetches them, so the provider can rotate keys.
 * Checked: the signature (RS256, ES256 and the other asymmetric algorithms; never `none` or HMAC),
 * the issuer, the expiry, a subject, the client it was issued to (assertClient) and, when
 * configured, the audience. Every refusal is 30002.
 */
import { ErrorCode, MintError } from '@cashu-mint/core/protocol'
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose'

export interface ClearAuthOptions {
  discoveryUrl: string
  clientId: string
  /** The `aud` a token must include; unset, the audience is not checked (Keycloak's is "account"). */
  audience?: string | undefined
}

export interface ClearAuthVerifier {
  /** The verified token's subject (`sub`), or a 30002 refusal. */
  verify(token: string): Promise<{ subject: string }>
}

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']
const MAX_TOKEN_LENGTH = 16_384

const refused = (detail: string) => new MintError(ErrorCode.CLEAR_AUTH_FAILED, `Clear-auth: ${detail}`)

interface Provider {
  issuer: string
  keys: ReturnType<typeof createRemoteJWKSet>
}

async function discover(url: string): Promise<Provider> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  if (!response.ok) throw new Error(`discovery answered ${response.status}`)
  const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown }
  if (typeof document.issuer !== 'string' || typeof document.jwks_uri !== 'string')
    throw new Error('discovery document has no issuer or jwks_uri')
  return {
    issuer: document.issuer,
    keys: createRemoteJWKSet(new URL(document.jwks_uri), {
      timeoutDuration: 10_000,
      cooldownDuration: 10_000,
    }),
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired'
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the token's "${error.claim}" claim is not accepted`
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify'
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token is not signed by a key of the provider'
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is signed with an algorithm not accepted'
  if (error instanceof errors.JOSEError) return 'not a valid token'
  return 'the OpenID provider cannot be reached to check the token'
}

/**
 * The client the token was issued to must be the mint's: `azp` (Keycloak, Auth0), `client_id`
 * (RFC 9068), `cid` (Okta), or an audience naming it. A token that names no client is refused, so
 * a token the same provider issued to another application cannot be used here.
 */
function assertClient(payload: JWTPayload, clientId: string): void {
  const named = (['azp', 'client_id', 'cid'] as const)
    .map((claim) => payload[claim])
    .filter((value) => value !== undefined)
  const audience = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? [])
  if (named.some((value) => value !== clientId)) throw refused('the token was issued to another client')
  if (named.length === 0 && !audience.includes(clientId))
    throw refused('the token names no client (azp, client_id, cid or aud) the mint accepts')
}

export function createClearAuth(options: ClearAuthOptions): ClearAuthVerifier {
  let provider: Promise<Provider> | undefined
  const current = () => {
    provider ??= discover(options.discoveryUrl).catch((error) => {
      provider = undefined
      throw error
    })
    return provider
  }
  return {
    async verify(token) {
      if (
        token.length > MAX_TOKEN_LENGTH ||
        !/^[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]*$/.test(token)
      )
        throw refused('not a JWT')
      let payload: JWTPayload
      try {
        const { issuer, keys } = await current()
        ;({ payload } = await jwtVerify(token, keys, {
          issuer,
          algorithms: ALGORITHMS,
          requiredClaims: ['exp', 'sub'],
          ...(options.audience ? { audience: options.audience } : {}),
        }))
      } catch (error) {
        throw refused(describe(error))
      }
      if (typeof payload.sub !== 'string' || payload.sub.length === 0)
        throw refused('the token has no subject')
      assertClient(payload, options.clientId)
      return { subject: payload.sub }
    },
  }
}
