/**
 * NUT-21/22 rules against the route table: what a wallet reads before it can hold a token (the
 * entries marked not protectable: info, keys, the BAT keys) stays open whatever the rules say, and
 * rules that would lead a wallet into a dead end are refused at start.
 */
import {
  type AccessRules,
  BAT_MINT_ENDPOINT,
  matchesEndpoint,
  matchesPath,
  type ProtectedEndpoint,
} from '../config/access-rules.ts'
import { type RouteEntry, rulePath } from './routes.ts'

/** The table's open entries as paths in the rules' own syntax (a parameter is a `*` prefix). */
export const openPathsOf = (routes: readonly RouteEntry[]): string[] => [
  ...new Set(routes.filter((r) => !r.protectable).map((r) => rulePath(r.path))),
]

/** Which tokens a request needs under the rules. */
export function accessNeeded(
  rules: AccessRules,
  open: readonly string[],
  method: string,
  path: string,
): { clear: boolean; blind: boolean } {
  if (open.some((pattern) => matchesPath(pattern, path))) return { clear: false, blind: false }
  const isBatMint = matchesEndpoint(BAT_MINT_ENDPOINT, method, path)
  return {
    clear: isBatMint || rules.clear.some((rule) => matchesEndpoint(rule, method, path)),
    blind: !isBatMint && rules.blind.some((rule) => matchesEndpoint(rule, method, path)),
  }
}

/**
 * Refuses rules a wallet would follow into a dead end: listing an endpoint that stays open (it
 * would send tokens there that are never spent), or blind auth on BAT minting (a BAT to get BATs).
 * The error names the setting.
 */
export function assertUsableRules(rules: AccessRules, open: readonly string[]): void {
  const problems: string[] = []
  for (const [kind, list] of Object.entries(rules) as [keyof AccessRules, ProtectedEndpoint[]][]) {
    for (const rule of list) {
      const setting = `CASHU_MINT_AUTH_${kind.toUpperCase()}_ENDPOINTS`
      // A rule covers an open path when it matches that path, or the prefix an open pattern names.
      const covered = open
        .map((pattern) => pattern.replace(/\*$/, ''))
        .find((path) => matchesEndpoint(rule, 'GET', path))
      if (covered)
        problems.push(`${setting}: "${rule.method} ${rule.path}" covers ${covered}, which stays open`)
      if (kind === 'blind' && matchesEndpoint(rule, BAT_MINT_ENDPOINT.method, BAT_MINT_ENDPOINT.path))
        problems.push(
          `${setting}: "${rule.method} ${rule.path}" covers ${BAT_MINT_ENDPOINT.path}: BATs would need a BAT`,
        )
    }
  }
  if (problems.length > 0) throw new Error(problems.join('; '))
}
