/** NUT-06: mint information, with the per-NUT settings that NUT-04/05/17/19 and others define. */
import { z } from 'zod'
import { amount, point, timestamp, unit } from './primitives.ts'

export const MethodSetting = z.object({
  method: z.string(),
  unit,
  method_name: z.string().nullable().optional(),
  min_amount: amount.nullable().optional(),
  max_amount: amount.nullable().optional(),
  options: z.record(z.string(), z.unknown()).nullable().optional(),
})
export type MethodSetting = z.output<typeof MethodSetting>

export const MethodSettings = z.object({ methods: z.array(MethodSetting), disabled: z.boolean() })

export const Supported = z.object({ supported: z.literal(true) })

/** NUT-17: websocket subscription kinds per method and unit. */
export const WebsocketSetting = z.object({
  supported: z.array(z.object({ method: z.string(), unit, commands: z.array(z.string()) })),
})

/** NUT-19: responses a wallet may replay safely, and for how long (seconds). */
export const CachedResponsesSetting = z.object({
  ttl: z.bigint().nullable(),
  cached_endpoints: z.array(z.object({ method: z.enum(['GET', 'POST']), path: z.string() })),
})

export const Contact = z.object({ method: z.string(), info: z.string() })

export const GetInfoResponse = z.object({
  name: z.string().optional(),
  pubkey: point('pubkey').optional(),
  version: z.string().optional(),
  description: z.string().optional(),
  description_long: z.string().optional(),
  contact: z.array(Contact).optional(),
  motd: z.string().optional(),
  icon_url: z.string().optional(),
  urls: z.array(z.string()).optional(),
  time: timestamp.optional(),
  tos_url: z.string().optional(),
  nuts: z.record(z.string(), z.unknown()),
})
export type GetInfoResponse = z.output<typeof GetInfoResponse>
