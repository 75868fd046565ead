/**
 * NUT-06 mint info that advertises exactly what this mint does: the bolt11 methods and units with
 * their limits (NUT-04/05; a unit closed to melts is left out of NUT-05), and each optional NUT it
 * implements.
 */
import type { MintSettings } from '@cashu-mint/core/mint'
import { MAX_BATCH_SIZE } from '@cashu-mint/core/mint'
import type { GetInfoResponse } from '@cashu-mint/core/protocol'
import type { AccessRules } from '../config/access-rules.ts'
import { CACHED_ENDPOINTS } from './response-caching.ts'
import { WEBSOCKET_COMMANDS } from './websocket.ts'

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
  unit: string,
  limits: { minAmount?: bigint | undefined; maxAmount?: bigint | undefined },
) => ({
  method: 'bolt11',
  unit,
  ...(limits.minAmount === undefined ? {} : { min_amount: limits.minAmount }),
  ...(limits.maxAmount === undefined ? {} : { max_amount: limits.maxAmount }),
})

export function mintInfo(settings: MintSettings, options: InfoOptions): GetInfoResponse {
  const units = Object.entries(settings.units)
  // Every unit is listed for NUT-04: operator-issued quotes are minted through it even where the
  // unit has no Lightning top-up, which then refuses the quote itself (20003).
  const mintMethods = units.map(([unit, s]) => ({
    ...methodSetting(unit, s.mint),
    options: { description: s.mint.descriptionAllowed },
  }))
  const meltMethods = units.filter(([, s]) => s.melt.enabled).map(([unit, s]) => methodSetting(unit, s.melt))
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
      '15': { methods: meltMethods.map(({ method, unit }) => ({ method, unit })) },
      '17': {
        supported: units.map(([unit]) => ({ method: 'bolt11', unit, commands: [...WEBSOCKET_COMMANDS] })),
      },
      ...(options.cacheTtlSeconds === undefined
        ? {}
        : {
            '19': {
              ttl: BigInt(options.cacheTtlSeconds),
              cached_endpoints: CACHED_ENDPOINTS.map((path) => ({ method: 'POST', path })),
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
      '29': { max_batch_size: MAX_BATCH_SIZE, methods: ['bolt11'] },
    },
  }
}
