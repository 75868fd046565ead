/**
 * Runs a wire schema over untrusted input and turns failure into a MintError carrying the NUT
 * code for a malformed request, with the path of the first bad field in the detail.
 */
import type { z } from 'zod'
import { ErrorCode, MintError } from './errors.ts'
import { parseJson } from './json.ts'

export function parseRequest<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const path = issue?.path.length ? `${issue.path.join('.')}: ` : ''
  throw new MintError(ErrorCode.MALFORMED_REQUEST, `${path}${issue?.message ?? 'invalid request'}`)
}

/** Parses a JSON body (integers as bigint) and validates it. */
export function parseJsonRequest<T extends z.ZodType>(schema: T, body: string): z.output<T> {
  let value: unknown
  try {
    value = parseJson(body)
  } catch {
    throw new MintError(ErrorCode.MALFORMED_REQUEST, 'request body is not valid JSON')
  }
  return parseRequest(schema, value)
}
