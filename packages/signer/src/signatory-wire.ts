/**
 * CDK's signatory protocol (proto/signatory.proto, schema version 2) as this package's client and
 * server see it: the service definition, the header every call carries, and the messages to and
 * from the signer port's types (keyset ids as raw bytes with their version byte first, points as
 * 33 compressed bytes, amounts as uint64, units as CDK's enum or a lowercase custom name).
 */
import { fileURLToPath } from 'node:url'
import type { SignerKeyset } from '@cashu-mint/core/mint'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'

/** The header and value CDK's signatory checks on every call, the stream too. */
export const SCHEMA_HEADER = 'x-signatory-schema-version'
export const SCHEMA_VERSION = '2'

const PROTO = fileURLToPath(new URL('../proto/signatory.proto', import.meta.url))

/** The `signatory.Signatory` service: uint64 as decimal strings, enums by name, bytes as Buffers. */
export async function loadSignatoryService(): Promise<grpc.ServiceClientConstructor> {
  const definition = await protoLoader.load(PROTO, {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  })
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    signatory: { Signatory: grpc.ServiceClientConstructor }
  }
  return loaded.signatory.Signatory
}

/** The signatory's error codes this side sends and reads (CDK's client knows 0, 1, 2, 4 and 5 only). */
export const SignatoryError = {
  UNSPECIFIED: 'ERROR_CODE_UNSPECIFIED',
  AMOUNT_OUTSIDE_LIMIT: 'ERROR_CODE_AMOUNT_OUTSIDE_LIMIT',
  KEYSET_NOT_KNOWN: 'ERROR_CODE_KEYSET_NOT_KNOWN',
  KEYSET_INACTIVE: 'ERROR_CODE_KEYSET_INACTIVE',
} as const

export interface ErrorMessage {
  code: string
  detail: string
}

export interface CurrencyUnitMessage {
  currency_unit?: 'unit' | 'custom_unit'
  unit?: string
  custom_unit?: string
}

export interface KeySetMessage {
  id: Buffer | Uint8Array
  unit: CurrencyUnitMessage | null
  active: boolean
  input_fee_ppk: string
  keys: { keys: { key: string; value: Buffer | Uint8Array }[] } | null
  final_expiry?: string
  version: number
}

export interface KeysResponseMessage {
  error: ErrorMessage | null
  keysets: { pubkey: Buffer | Uint8Array; keysets: KeySetMessage[] } | null
}

const UNIT_TYPES: Readonly<Record<string, string>> = {
  sat: 'CURRENCY_UNIT_TYPE_SAT',
  msat: 'CURRENCY_UNIT_TYPE_MSAT',
  usd: 'CURRENCY_UNIT_TYPE_USD',
  eur: 'CURRENCY_UNIT_TYPE_EUR',
  auth: 'CURRENCY_UNIT_TYPE_AUTH',
}
const UNIT_NAMES = new Map(Object.entries(UNIT_TYPES).map(([name, type]) => [type, name]))

export function unitMessage(unit: string): CurrencyUnitMessage {
  const type = UNIT_TYPES[unit.toLowerCase()]
  return type ? { unit: type } : { custom_unit: unit.toLowerCase() }
}

/** The unit's name, or undefined when the message names none. */
export function unitName(message: CurrencyUnitMessage | null | undefined): string | undefined {
  if (message?.currency_unit === 'custom_unit') return message.custom_unit?.toLowerCase() || undefined
  if (message?.currency_unit === 'unit') return UNIT_NAMES.get(message.unit ?? '')
  return undefined
}

export const idBytes = (id: string): Buffer => Buffer.from(id, 'hex')
export const idHex = (bytes: Buffer | Uint8Array): string => Buffer.from(bytes).toString('hex')

export function keysetMessage(keyset: SignerKeyset): KeySetMessage {
  return {
    id: idBytes(keyset.id),
    unit: unitMessage(keyset.unit),
    active: keyset.active,
    input_fee_ppk: keyset.inputFeePpk.toString(),
    keys: {
      keys: [...keyset.keys]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([amount, key]) => ({ key: amount.toString(), value: Buffer.from(key, 'hex') })),
    },
    ...(keyset.finalExpiry === null ? {} : { final_expiry: keyset.finalExpiry.toString() }),
    version: 0,
  }
}

export function signerKeyset(message: KeySetMessage): SignerKeyset {
  const unit = unitName(message.unit)
  if (!unit) throw new Error(`the signer's keyset ${idHex(message.id)} names no unit`)
  return {
    id: idHex(message.id),
    unit,
    active: message.active,
    inputFeePpk: BigInt(message.input_fee_ppk),
    finalExpiry: message.final_expiry === undefined ? null : BigInt(message.final_expiry),
    keys: new Map(
      (message.keys?.keys ?? []).map((entry) => [
        BigInt(entry.key),
        Buffer.from(entry.value).toString('hex'),
      ]),
    ),
  }
}

/** Powers of two 2^0 .. 2^(count-1), as a rotation request lists them. */
export const amountsOf = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => (1n << BigInt(i)).toString())
