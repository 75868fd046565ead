/**
 * NUT-21/22: which endpoints need a clear auth token (an OpenID Connect access token) and which a
 * blind auth token, as the operator lists them: `METHOD path` items separated by commas, a path
 * exact or a prefix ending in `*` (the specs' only wildcard; never a regex). The endpoints a wallet
 * needs before it can hold any token (info, keys, the BAT keys) are never protected, and minting
 * BATs always needs a clear auth token.
 */
import { ProtectedEndpoint } from '@cashu-mint/core/protocol'

export type { ProtectedEndpoint }

export interface AccessRules {
  clear: ProtectedEndpoint[]
  blind: ProtectedEndpoint[]
}

/** NUT-22: BATs are minted here, for a user NUT-21 identified. */
export const BAT_MINT_ENDPOINT: ProtectedEndpoint = { method: 'POST', path: '/v1/auth/blind/mint' }

/**
 * What a wallet reads before it can hold a token, as paths in the rules' own syntax: open whatever
 * the rules say, for any method.
 */
const ALWAYS_OPEN = [
  '/v1/info',
  '/v1/keys',
  '/v1/keys/*',
  '/v1/keysets',
  '/v1/auth/blind/keys*',
  // Covered by the pattern above; listed so a rule naming it alone is refused too.
  '/v1/auth/blind/keysets',
]

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
const matchesPath = (pattern: string, path: string): boolean =>
  pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern

export const matchesEndpoint = (rule: ProtectedEndpoint, method: string, path: string): boolean =>
  rule.method === method && matchesPath(rule.path, path)

/** Which tokens a request needs under the rules. */
export function accessNeeded(
  rules: AccessRules,
  method: string,
  path: string,
): { clear: boolean; blind: boolean } {
  if (ALWAYS_OPEN.some((open) => matchesPath(open, path))) return { clear: false, blind: false }
  const isBatMint = matchesEndpoint(BAT_MINT_ENDPOINT, method, path)
  return {
    clear: isBatMint || rules.clear.some((rule) => matchesEndpoint(rule, method, path)),
    blind: !isBatMint && rules.blind.some((rule) => matchesEndpoint(rule, method, path)),
  }
}

/**
 * Refuses rules a wallet would follow into a dead end: listing an endpoint that stays open (it
 * would send tokens there that are never spent), or blind auth on BAT minting (a BAT to get BATs).
 */
export function assertUsableRules(rules: AccessRules): void {
  const problems: string[] = []
  for (const [kind, list] of Object.entries(rules) as [keyof AccessRules, ProtectedEndpoint[]][]) {
    for (const rule of list) {
      // A rule covers an open path when it matches that path, or the prefix an open pattern names.
      const open = ALWAYS_OPEN.map((pattern) => pattern.replace(/\*$/, '')).find((path) =>
        matchesEndpoint(rule, 'GET', path),
      )
      if (open) problems.push(`${kind} "${rule.method} ${rule.path}" covers ${open}, which stays open`)
      if (kind === 'blind' && matchesEndpoint(rule, BAT_MINT_ENDPOINT.method, BAT_MINT_ENDPOINT.path))
        problems.push(
          `blind "${rule.method} ${rule.path}" covers ${BAT_MINT_ENDPOINT.path}: BATs would need a BAT`,
        )
    }
  }
  if (problems.length > 0) throw new Error(problems.join('; '))
}

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
