/** What both readers do with a source's rows: integers, points, invoices, keyset checks, fingerprints. */
import { createHash } from 'node:crypto'
import { bytesToHex } from '@cashu-mint/core/crypto'
import { type Bolt11Invoice, decodeBolt11 } from '@cashu-mint/core/lightning'
import { formatRate, type MeltQuoteRecord, type MintQuoteRecord } from '@cashu-mint/core/mint'
import { SourceError } from './source-database.ts'

/** An integer column (number, bigint, numeric string) as a bigint; null stays null. */
export function big(value: unknown): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value)
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value)
  throw new SourceError(`expected an integer, found ${JSON.stringify(String(value))}`)
}

export const bigOrNull = (value: unknown): bigint | null =>
  value === null || value === undefined ? null : big(value)

/** A timestamp column as Unix seconds; anything else (Nutshell has written '<nothing>') is none. */
export function secondsOrNull(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value)
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value)
  return null
}

/** A text column; null and '' are none. */
export const textOrNull = (value: unknown): string | null =>
  value === null || value === undefined || value === '' ? null : String(value)

/** A point stored as hex text (Nutshell) or as 33 bytes (CDK), as lowercase hex. */
export function pointHex(value: unknown): string {
  if (value instanceof Uint8Array) return bytesToHex(value)
  return String(value ?? '').toLowerCase()
}

/** A boolean stored as 0/1 (SQLite) or true/false (PostgreSQL). */
export const truthy = (value: unknown): boolean => value === true || value === 1 || value === 1n

/** The invoice of a quote, or the refusal naming the quote. */
export function invoiceOf(request: string, quoteId: string): Bolt11Invoice {
  try {
    return decodeBolt11(request)
  } catch (error) {
    throw new SourceError(
      `quote ${quoteId} has an invoice this mint cannot read: ${(error as Error).message}`,
    )
  }
}

/** The Lightning price a quote used, from its invoice's msat and its amount in the unit. */
export function rateOf(unit: string, amount: bigint, amountMsat: bigint | undefined): string {
  if (unit === 'sat') return formatRate({ msat: 1000n, per: 1n })
  if (unit === 'msat') return formatRate({ msat: 1n, per: 1n })
  return formatRate({ msat: amountMsat ?? 0n, per: amount > 0n ? amount : 1n })
}

/**
 * Keyset amounts as a JSON list: they must be 2^0 .. 2^(n-1), the only keysets this mint derives;
 * an empty list is Nutshell's "all 64".
 */
export function amountCountOf(amounts: unknown, keysetId: string): number {
  const list = JSON.parse(String(amounts ?? '[]')) as unknown[]
  if (list.length === 0) return 64
  list.forEach((amount, i) => {
    if (BigInt(amount as number) !== 1n << BigInt(i))
      throw new SourceError(
        `keyset ${keysetId} signs amounts other than 1, 2, 4 ...: this mint cannot take it over`,
      )
  })
  return list.length
}

/** A fingerprint of what was read: the same source unchanged gives the same one. */
export function fingerprintOf(kind: string, facts: unknown): string {
  const text = JSON.stringify(facts, (_, value) => (typeof value === 'bigint' ? value.toString() : value))
  return `${kind}:${createHash('sha256').update(text).digest('hex')}`
}

/** Rows of a query mapped one by one, in the batches they came in. */
export async function* mapped<R, T>(batches: AsyncIterable<R[]>, map: (row: R) => T): AsyncIterable<T[]> {
  for await (const rows of batches) yield rows.map(map)
}

/** A mint quote as this mint records it, from what both peers keep of one. */
export function mintQuoteFrom(fields: {
  id: string
  method: string
  backend: string
  unit: string
  amount: bigint
  request: string
  state: MintQuoteRecord['state']
  expiry: bigint | null
  pubkey: string | null
  createdAt: bigint | null
  paidAt: bigint | null
  issuedAt: bigint | null
}): MintQuoteRecord {
  const invoice = invoiceOf(fields.request, fields.id)
  return {
    ...fields,
    method: fields.method.toLowerCase(),
    paymentHash: invoice.paymentHash,
    expiry: fields.expiry ?? invoice.timestamp + invoice.expirySeconds,
    description: null,
    amountMsat: invoice.amountMsat ?? null,
    rate: rateOf(fields.unit, fields.amount, invoice.amountMsat),
    createdAt: fields.createdAt ?? invoice.timestamp,
  }
}

/** A melt quote as this mint records it; `internal` names the mint quote whose invoice it paid inside the old mint. */
export function meltQuoteFrom(fields: {
  id: string
  method: string
  backend: string
  unit: string
  amount: bigint
  request: string
  feeReserve: bigint
  state: string
  expiry: bigint | null
  preimage: string | null
  feePaid: bigint | null
  createdAt: bigint | null
  internal: string | null
}): MeltQuoteRecord {
  const { id, unit, amount, state } = fields
  if (state !== 'UNPAID' && state !== 'PENDING' && state !== 'PAID')
    throw new SourceError(`melt quote ${id} is in a state this importer does not know: ${state}`)
  const invoice = invoiceOf(fields.request, id)
  return {
    id,
    method: fields.method.toLowerCase(),
    backend: fields.internal ? null : fields.backend,
    unit,
    request: fields.request,
    paymentHash: invoice.paymentHash,
    amount,
    feeReserve: fields.feeReserve,
    // What went over Lightning: the amount in sat or msat (an MPP part, or an amountless invoice's
    // amount), else the invoice's own.
    amountMsat: unit === 'sat' ? amount * 1000n : unit === 'msat' ? amount : (invoice.amountMsat ?? 0n),
    rate: rateOf(unit, amount, invoice.amountMsat),
    state,
    expiry: fields.expiry ?? invoice.timestamp + invoice.expirySeconds,
    preimage: fields.preimage,
    feePaid: state === 'PAID' ? (fields.feePaid ?? 0n) : null,
    internalMintQuoteId: fields.internal,
    createdAt: fields.createdAt ?? invoice.timestamp,
  }
}
