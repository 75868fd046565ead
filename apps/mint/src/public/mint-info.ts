/**
 * NUT-06 mint info that advertises exactly what this mint does: each payment method and unit with
 * its limits and what its backend can do (NUT-04/05 with NUT-23 options; a unit closed to melts is
 * left out of NUT-05; NUT-15 where the backend pays parts), the NUT-17 commands per method, the
 * NUT-19 endpoints of the route table, and each optional NUT it implements.
 */
import {
  MAX_BATCH_SIZE,
  type MintSettings,
  type PaymentRouteInfo,
  type UnitSettings,
} from '@cashu-mint/core/mint'
import type { GetInfoResponse } from '@cashu-mint/core/protocol'
import type { AccessRules } from '../config/access-rules.ts'
import { publicRoutes } from './routes.ts'
import { websocketCommands } from './websocket.ts'

export interface InfoOptions {
  name: string
  /** The mint's public key (NUT-06), derived from the seed. */
  pubkey: string
  description?: string | undefined
  descriptionLong?: string | undefined
  contact?: { method: string; info: string }[] | undefined
  motd?: string | undefined
  iconUrl?: string | undefined
  tosUrl?: string | undefined
  /** Where wallets reach the mint (clearnet, onion…). */
  urls?: string[] | undefined
  version: string
  nowSeconds: bigint
  /** NUT-19: how long responses are replayed; without it NUT-19 is not advertised. */
  cacheTtlSeconds?: number | undefined
  /** NUT-21/22, while access control is on: the provider, the client and the protected endpoints. */
  auth?: { openidDiscovery: string; clientId: string; rules: AccessRules; batMaxMint: number } | undefined
}

const methodSetting = (
  method: string,
  unit: string,
  limits: { minAmount?: bigint | undefined; maxAmount?: bigint | undefined },
) => ({
  method,
  unit,
  ...(limits.minAmount === undefined ? {} : { min_amount: limits.minAmount }),
  ...(limits.maxAmount === undefined ? {} : { max_amount: limits.maxAmount }),
})

/** A unit with one of its payment routes, or none for a unit no backend serves. */
interface Pair {
  unit: string
  settings: UnitSettings
  route: PaymentRouteInfo | undefined
}

/** Each unit's payment routes; a unit no backend serves is minted over bolt11 (operator credit). */
function pairsOf(settings: MintSettings, routes: readonly PaymentRouteInfo[]): Pair[] {
  return Object.entries(settings.units).flatMap(([unit, unitSettings]): Pair[] => {
    const served = routes.filter((r) => r.unit === unit)
    return served.length > 0
      ? served.map((route) => ({ unit, settings: unitSettings, route }))
      : [{ unit, settings: unitSettings, route: undefined }]
  })
}

export function mintInfo(
  settings: MintSettings,
  routes: readonly PaymentRouteInfo[],
  options: InfoOptions,
): GetInfoResponse {
  const pairs = pairsOf(settings, routes)
  const methods = [...new Set(['bolt11', ...routes.map((r) => r.method)])]
  // Every unit is listed for NUT-04: operator-issued quotes are minted through it even where the
  // unit has no Lightning top-up, which then refuses the quote itself (20003).
  const mintMethods = pairs.map(({ unit, settings: s, route }) => ({
    ...methodSetting(route?.method ?? 'bolt11', unit, s.mint),
    options: { description: s.mint.descriptionAllowed && (route?.capabilities.description ?? false) },
  }))
  const meltable = pairs.filter(({ settings: s, route }) => s.melt.enabled && route)
  const meltMethods = meltable.map(({ unit, settings: s, route }) => ({
    ...methodSetting(route?.method as string, unit, s.melt),
    options: { amountless: route?.capabilities.amountless ?? false },
  }))
  const partial = meltable.filter(({ route }) => route?.capabilities.mpp)
  const cached = publicRoutes(methods, false).filter((r) => r.replay)
  const supported = { supported: true }
  return {
    name: options.name,
    pubkey: options.pubkey,
    version: options.version,
    ...(options.description ? { description: options.description } : {}),
    ...(options.descriptionLong ? { description_long: options.descriptionLong } : {}),
    ...(options.contact?.length ? { contact: options.contact } : {}),
    ...(options.motd ? { motd: options.motd } : {}),
    ...(options.iconUrl ? { icon_url: options.iconUrl } : {}),
    ...(options.tosUrl ? { tos_url: options.tosUrl } : {}),
    ...(options.urls?.length ? { urls: options.urls } : {}),
    time: options.nowSeconds,
    nuts: {
      '4': { methods: mintMethods, disabled: false },
      '5': { methods: meltMethods, disabled: meltMethods.length === 0 },
      '7': supported,
      '8': supported,
      '9': supported,
      '10': supported,
      '11': supported,
      '12': supported,
      '14': supported,
      '15': { methods: partial.map(({ unit, route }) => ({ method: route?.method as string, unit })) },
      '17': {
        supported: pairs.map(({ unit, route }) => {
          const method = route?.method ?? 'bolt11'
          return { method, unit, commands: websocketCommands([method]) }
        }),
      },
      ...(options.cacheTtlSeconds === undefined
        ? {}
        : {
            '19': {
              ttl: BigInt(options.cacheTtlSeconds),
              cached_endpoints: cached.map(({ method, path }) => ({ method, path })),
            },
          }),
      '20': supported,
      ...(options.auth
        ? {
            '21': {
              openid_discovery: options.auth.openidDiscovery,
              client_id: options.auth.clientId,
              protected_endpoints: options.auth.rules.clear,
            },
            '22': {
              bat_max_mint: BigInt(options.auth.batMaxMint),
              protected_endpoints: options.auth.rules.blind,
            },
          }
        : {}),
      '29': { max_batch_size: MAX_BATCH_SIZE, methods },
    },
  }
}
