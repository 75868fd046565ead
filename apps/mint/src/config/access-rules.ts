/**
 * NUT-21/22: which endpoints need a clear auth token (an OpenID Connect access token) and which a
 * blind auth token, as the operator lists them: `METHOD path` items separated by commas, a path
 * exact or a prefix ending in `*` (the specs' only wildcard; never a regex). Minting BATs always
 * needs a clear auth token; what may be protected at all is the route table's to say
 * (public/access-rules-check.ts).
 */
import { ProtectedEndpoint } from '@cashu-mint/core/protocol'

export type { ProtectedEndpoint }

export interface AccessRules {
  clear: ProtectedEndpoint[]
  blind: ProtectedEndpoint[]
}

/** NUT-22: BATs are minted here, for a user NUT-21 identified. */
export const BAT_MINT_ENDPOINT: ProtectedEndpoint = { method: 'POST', path: '/v1/auth/blind/mint' }

/** `POST /v1/swap, GET /v1/mint/*` → endpoints; throws naming the item that is not one. */
export function parseEndpointList(text: string): ProtectedEndpoint[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
    .map((item) => {
      const [method, path, ...rest] = item.split(/\s+/)
      const parsed = ProtectedEndpoint.safeParse({ method: method?.toUpperCase(), path })
      if (rest.length > 0 || !parsed.success)
        throw new Error(`"${item}" is not "METHOD /path" (GET or POST; the path may end in *)`)
      return parsed.data
    })
}

/** An exact path, or a prefix when the pattern ends in `*`. */
export const matchesPath = (pattern: string, path: string): boolean =>
  pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern

export const matchesEndpoint = (rule: ProtectedEndpoint, method: string, path: string): boolean =>
  rule.method === method && matchesPath(rule.path, path)

/** The rules as /v1/info lists them: the BAT mint endpoint is always among the clear ones. */
export function advertisedRules(rules: AccessRules): AccessRules {
  const listed = rules.clear.some((rule) =>
    matchesEndpoint(rule, BAT_MINT_ENDPOINT.method, BAT_MINT_ENDPOINT.path),
  )
  return { clear: listed ? rules.clear : [BAT_MINT_ENDPOINT, ...rules.clear], blind: rules.blind }
}

/** NUT-21/22 as configured: what /v1/info and the admin report show while the operator leaves it on. */
export interface AuthSettings {
  openidDiscovery: string
  clientId: string
  rules: AccessRules
  batMaxMint: number
  /** The operator's switch (the `auth_enabled` setting). */
  enabled: () => boolean
}
