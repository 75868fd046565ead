/**
 * What the fuzzer does to a valid request: replaces a field (or the path parameter) with a hostile
 * value, drops or duplicates it, nests it, or damages the body's bytes. The hostile values are the
 * ones attackers and broken clients send: NUL and lone surrogates, 70 kB strings, SQL and path
 * tricks, points that are not on the curve or not compressed, numbers outside u64 or not integers,
 * empty, duplicated and 3,000-long arrays, and nesting deeper than any request needs.
 */
import { stringifyJson } from '@cashu-mint/core/protocol'
import fc from 'fast-check'

export type Json = null | boolean | number | bigint | string | Json[] | { [key: string]: Json }

/** A valid request to start from: `params` fill `:name` segments of the path. */
export interface RequestTemplate {
  endpoint: string
  listener: 'public' | 'admin' | 'ws'
  method: 'GET' | 'POST' | 'PATCH'
  path: string
  params?: Record<string, string>
  body?: Json
  /** How often it is picked relative to the others (default 10). */
  weight?: number
}

/** A request as sent: the body is raw text or bytes. */
export interface FuzzRequest {
  endpoint: string
  listener: RequestTemplate['listener']
  method: string
  path: string
  headers: Record<string, string>
  body?: string | Uint8Array
}

const G = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798'
const G_UNCOMPRESSED =
  '0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8'

const hostileStrings = [
  '\u0000',
  'ok\u0000',
  '\ud800',
  'a\udfffb',
  'x'.repeat(70_000),
  "' OR '1'='1' --",
  "'); DROP TABLE proofs; --",
  '../../../../etc/passwd',
  '%00',
  '..%2f..%2f',
  '\u202e\u0301',
  '😀',
  '',
  ' ',
  '{"a":1}',
] as const

const hostileHex = [
  `02${'ff'.repeat(32)}`, // x >= p: not a field element
  `02${'00'.repeat(32)}`, // no point with x = 0
  `03${'11'.repeat(32)}`,
  '00', // the point at infinity (SEC1)
  `00${'00'.repeat(32)}`,
  G_UNCOMPRESSED,
  G.toUpperCase(),
  `${G}00`,
  G.slice(0, 64),
  'zz',
  `01${'ab'.repeat(32)}`,
] as const

const hostileNumbers = [
  -1n,
  0n,
  1.5,
  2n ** 64n,
  2n ** 64n - 1n,
  2n ** 53n + 1n,
  -(2n ** 63n),
  1e308,
  -0,
  '8',
  '1e3',
] as const

const deep = (levels: number): Json => (levels === 0 ? 1n : { a: [deep(levels - 1)] })

/**
 * A hostile replacement for `current`, mostly of its own kind (hex for hex, numbers for numbers,
 * arrays for arrays), where checks are easiest to get wrong, and sometimes anything at all.
 */
const hostileValue = (current: Json): fc.Arbitrary<Json> => {
  const kind =
    typeof current === 'string' && /^[0-9a-f]{2,}$/i.test(current)
      ? 'hex'
      : typeof current === 'bigint' || typeof current === 'number'
        ? 'number'
        : Array.isArray(current)
          ? 'array'
          : typeof current === 'string'
            ? 'string'
            : 'other'
  const weight = (of: string) => (of === kind ? 12 : 1)
  return fc.oneof(
    { weight: weight('string'), arbitrary: fc.constantFrom<Json>(...hostileStrings) },
    { weight: weight('hex'), arbitrary: fc.constantFrom<Json>(...hostileHex) },
    { weight: weight('number'), arbitrary: fc.constantFrom<Json>(...hostileNumbers) },
    {
      weight: weight('other'),
      arbitrary: fc.constantFrom<Json>(null, true, false, {}, [], [null], deep(30)),
    },
    {
      weight: weight('array'),
      arbitrary: fc.constantFrom<Json>([], [current, current], Array(3000).fill(current)),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }) },
  )
}

/** Every place in a JSON value a mutation can reach, as key paths. */
function pathsOf(value: Json, path: (string | number)[] = []): (string | number)[][] {
  const here = [path]
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, i) => pathsOf(item, [...path, i]))]
  if (value !== null && typeof value === 'object')
    return [...here, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...path, k]))]
  return here
}

const isContainer = (value: Json): value is Json[] | { [key: string]: Json } =>
  value !== null && typeof value === 'object'

function getAt(value: Json, path: (string | number)[]): Json {
  return path.reduce<Json>(
    (v, key) => (isContainer(v) ? ((v as Record<string, Json>)[key] ?? null) : null),
    value,
  )
}

/**
 * A copy of `value` with the value at `path` replaced (or removed when `next` is undefined); a path
 * an earlier mutation took away leaves the value as it is.
 */
function setAt(value: Json, path: (string | number)[], next: Json | undefined): Json | undefined {
  if (path.length === 0) return next
  if (!isContainer(value)) return value
  const [head, ...rest] = path as [string | number, ...(string | number)[]]
  if (Array.isArray(value)) {
    const copy = [...value]
    const inner = setAt(copy[head as number] ?? null, rest, next)
    if (inner === undefined) copy.splice(head as number, 1)
    else copy[head as number] = inner
    return copy
  }
  const copy = { ...value }
  const inner = setAt(copy[head as string] ?? null, rest, next)
  if (inner === undefined) delete copy[head as string]
  else copy[head as string] = inner
  return copy
}

type BodyMutation =
  | { kind: 'replace'; path: (string | number)[]; value: Json }
  | { kind: 'remove'; path: (string | number)[] }
  | { kind: 'extra'; path: (string | number)[] }

const bodyMutation = (body: Json): fc.Arbitrary<BodyMutation> =>
  fc.constantFrom(...pathsOf(body)).chain((path) =>
    fc.oneof(
      {
        weight: 6,
        arbitrary: hostileValue(getAt(body, path)).map((value) => ({
          kind: 'replace' as const,
          path,
          value,
        })),
      },
      { weight: 1, arbitrary: fc.constant({ kind: 'remove' as const, path }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'extra' as const, path }) },
    ),
  )

function applyMutation(body: Json, mutation: BodyMutation): Json {
  if (mutation.kind === 'replace') return setAt(body, mutation.path, mutation.value) ?? null
  if (mutation.kind === 'remove') return setAt(body, mutation.path, undefined) ?? null
  const target = getAt(body, mutation.path)
  if (target === null || typeof target !== 'object' || Array.isArray(target)) return body
  return setAt(body, mutation.path, { ...target, unknown_field: '\u0000x', __proto__x: { a: null } }) ?? body
}

type RawMutation = 'none' | 'truncate' | 'invalid-utf8' | 'oversize' | 'not-json' | 'wrong-content-type'

const encoder = new TextEncoder()

function serialize(text: string, raw: RawMutation, cut: number, limit: number): string | Uint8Array {
  switch (raw) {
    case 'truncate':
      return text.slice(0, Math.floor(text.length * cut))
    case 'invalid-utf8': {
      const bytes = encoder.encode(text)
      const at = Math.floor(bytes.length * cut)
      return new Uint8Array([...bytes.subarray(0, at), 0xff, 0xfe, 0xc3, ...bytes.subarray(at)])
    }
    case 'oversize':
      return `{"pad":"${'p'.repeat(limit + 1000)}"}`
    case 'not-json':
      return `${text.slice(0, 20)}<xml/>`
    default:
      return text
  }
}

/** Percent-encodes a path segment; a lone surrogate goes as the invalid UTF-8 bytes a broken client sends. */
function encodeSegment(text: string): string {
  return [...text]
    .map((char) => {
      const code = char.charCodeAt(0)
      if (char.length === 1 && code >= 0xd800 && code <= 0xdfff)
        return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`
      return encodeURIComponent(char)
    })
    .join('')
}

function fillPath(template: RequestTemplate, params: Record<string, string>): string {
  return template.path.replace(/:([a-z]+)/g, (_, name: string) => encodeSegment(params[name] ?? ''))
}

/** Requests made from `templates`, mutated; `bodyLimit` is the server's, to go past it now and then. */
export function fuzzRequests(
  templates: readonly RequestTemplate[],
  headers: Record<'public' | 'admin' | 'ws', Record<string, string>>,
  bodyLimit: number,
): fc.Arbitrary<FuzzRequest> {
  const weighted = templates.map((t) => ({ weight: t.weight ?? 10, arbitrary: fc.constant(t) }))
  return fc.oneof(...weighted).chain((template) => {
    const body = template.body
    // Mostly one change, so the rest of the request stays valid and the change reaches deep checks.
    const mutations =
      body === undefined
        ? fc.constant([])
        : fc.oneof(
            { weight: 1, arbitrary: fc.constant([]) },
            { weight: 6, arbitrary: fc.array(bodyMutation(body), { minLength: 1, maxLength: 1 }) },
            { weight: 2, arbitrary: fc.array(bodyMutation(body), { minLength: 2, maxLength: 3 }) },
          )
    const paramNames = Object.keys(template.params ?? {})
    const params = fc.record(
      Object.fromEntries(
        paramNames.map((name) => [
          name,
          fc.oneof(
            { weight: 3, arbitrary: fc.constant(template.params?.[name] ?? '') },
            { weight: 2, arbitrary: fc.constantFrom<string>(...hostileStrings, ...hostileHex) },
            { weight: 1, arbitrary: fc.string({ maxLength: 80, unit: 'binary' }) },
          ),
        ]),
      ),
    )
    const raw = fc.constantFrom<RawMutation>(
      ...([
        'none',
        'none',
        'none',
        'none',
        'none',
        'none',
        'truncate',
        'invalid-utf8',
        'not-json',
        'wrong-content-type',
      ] as const),
      ...(template.listener === 'ws' ? [] : (['oversize'] as const)),
    )
    return fc
      .tuple(mutations, params, raw, fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([applied, filled, rawMutation, cut]) => {
        const mutated = applied.reduce<Json>(applyMutation, body ?? null)
        const request: FuzzRequest = {
          endpoint: template.endpoint,
          listener: template.listener,
          method: template.method,
          path: fillPath(template, filled as Record<string, string>),
          headers: {
            ...headers[template.listener],
            'content-type': rawMutation === 'wrong-content-type' ? 'text/plain' : 'application/json',
          },
        }
        if (body !== undefined) request.body = serialize(stringifyJson(mutated), rawMutation, cut, bodyLimit)
        return request
      })
  })
}
