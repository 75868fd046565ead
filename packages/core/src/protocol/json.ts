/**
 * Lossless JSON for u64 amounts. JSON.parse turns 2^53+1 into 2^53; Cashu amounts go up to
 * 2^64-1. The reviver sees each number's source text (ES2025 JSON.parse source text access, in
 * Node >= 22) and turns every integer literal into a bigint; fractions and exponents stay numbers,
 * so schemas that want integers reject them. stringify writes bigints as bare integers.
 */
const INTEGER_LITERAL = /^-?(?:0|[1-9][0-9]*)$/

interface ReviverContext {
  source?: string
}

function reviveIntegers(this: unknown, _key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value === 'number' && context?.source !== undefined && INTEGER_LITERAL.test(context.source)) {
    return BigInt(context.source)
  }
  return value
}

/** Parses JSON with every integer as a bigint. Throws SyntaxError on malformed text. */
export function parseJson(text: string): unknown {
  return JSON.parse(text, reviveIntegers as (key: string, value: unknown) => unknown)
}

interface JsonWithRaw {
  rawJSON(text: string): unknown
}

function writeBigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? (JSON as unknown as JsonWithRaw).rawJSON(value.toString()) : value
}

/** Serializes JSON with bigints as exact integers. */
export function stringifyJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, writeBigints, indent)
}
