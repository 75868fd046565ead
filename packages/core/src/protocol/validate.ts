/**
 * The edge every request crosses once: bytes to JSON to a wire schema. Bodies must be valid UTF-8
 * and nested no deeper than any NUT request is; every string must be storable (no NUL, which
 * PostgreSQL text cannot hold, and no unpaired surrogate, which UTF-8 cannot carry); then the schema
 * checks shapes and lengths. Every refusal is a MintError with the NUT code for a malformed request
 * and the path of the bad field (or `body`) leading its detail.
 */
import type { z } from 'zod'
import { ErrorCode, MintError } from './errors.ts'
import { jsonShape, parseJson } from './json.ts'

/** Deeper than any NUT or admin request needs (the deepest, a melt input's DLEQ, is 4). */
export const MAX_JSON_DEPTH = 20

const malformed = (detail: string) => new MintError(ErrorCode.MALFORMED_REQUEST, detail)
const fieldOf = (path: readonly PropertyKey[]) => path.map(String).join('.')

const storable = (text: string) => !text.includes('\0') && text.isWellFormed()

/** The path of the first string (value or key) that could not be stored or sent on as UTF-8 text. */
function unstorableText(value: unknown, path: PropertyKey[]): PropertyKey[] | undefined {
  if (typeof value === 'string') return storable(value) ? undefined : path
  if (value === null || typeof value !== 'object') return undefined
  const entries: [PropertyKey, unknown][] = Array.isArray(value)
    ? [...value.entries()]
    : Object.entries(value)
  for (const [key, item] of entries) {
    path.push(key)
    const found = (typeof key === 'string' && !storable(key) ? path : undefined) ?? unstorableText(item, path)
    if (found) return found
    path.pop()
  }
  return undefined
}

/** Validates an already parsed value (JSON body, path parameter, websocket message) against a schema. */
export function parseRequest<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const bad = unstorableText(input, [])
  if (bad)
    throw malformed(`${bad.length ? fieldOf(bad) : 'body'}: text must be valid UTF-8 without NUL characters`)
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  // A body that is not even an object is refused as a whole: `body` names it.
  throw malformed(
    `${issue?.path.length ? fieldOf(issue.path) : 'body'}: ${issue?.message ?? 'invalid request'}`,
  )
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** A request body as JSON (integers as bigint): valid UTF-8, parseable and not nested too deep. */
export function parseJsonBody(body: string | Uint8Array): unknown {
  let text: string
  try {
    text = typeof body === 'string' ? body : utf8.decode(body)
  } catch {
    throw malformed('request body is not valid UTF-8')
  }
  const shape = jsonShape(text, MAX_JSON_DEPTH)
  if (shape.depth > MAX_JSON_DEPTH) throw malformed(`request body nests deeper than ${MAX_JSON_DEPTH} levels`)
  try {
    return parseJson(text, shape)
  } catch {
    throw malformed('request body is not valid JSON')
  }
}

/** Parses a JSON body (integers as bigint) and validates it. */
export function parseJsonRequest<T extends z.ZodType>(schema: T, body: string | Uint8Array): z.output<T> {
  return parseRequest(schema, parseJsonBody(body))
}
