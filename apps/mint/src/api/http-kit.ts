/**
 * What the public and the admin listeners share: lossless JSON in and out, one log line per request
 * (method, path, status, time: never a body, which carries proofs and secrets; for a refused request
 * also the NUT code and detail the wallet got, so the operator sees why without the wallet's output),
 * and errors as `400 {"detail","code"}` for a MintError, `503 {"detail","code"}` with Retry-After for a
 * dependency that is down, and a 500 that reveals nothing for anything else.
 */
import { UnavailableError } from '@cashu-mint/core/mint'
import { ErrorCode, MintError, parseJsonBody, parseRequest, stringifyJson } from '@cashu-mint/core/protocol'
import type { Context, Hono, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import type { Logger } from 'pino'
import { z } from 'zod'

export const json = (c: Context, value: unknown, status: 200 | 503 = 200) =>
  c.body(stringifyJson(value), status, { 'content-type': 'application/json; charset=utf-8' })

const parsedBodies = new WeakMap<Request, Promise<unknown>>()

/**
 * The request's JSON body, read and parsed once per request (the NUT-19 cache key and the handler
 * share it): valid UTF-8, not nested too deep, integers as bigint. No body at all counts as `{}`.
 */
export function jsonBody(c: Context): Promise<unknown> {
  let parsed = parsedBodies.get(c.req.raw)
  if (!parsed) {
    parsed = c.req
      .arrayBuffer()
      .then((bytes) => (bytes.byteLength === 0 ? {} : parseJsonBody(new Uint8Array(bytes))))
    parsedBodies.set(c.req.raw, parsed)
  }
  return parsed
}

/**
 * Refuses a body over `maxBytes` with 413 and `Connection: close`: the rest of that body is never
 * read, so the connection cannot carry another request, and the client must know not to try.
 * A GET or a body with a Content-Length is judged from the headers alone. Hono's bodyLimit, kept
 * for chunked bodies, asks every request for `raw.body`, which makes @hono/node-server build a web
 * Request and stream over Node's instead of reading the body directly (measurable in a swap's CPU).
 */
export const limitBody = (maxBytes: number): MiddlewareHandler => {
  const tooLarge = (c: Context) =>
    c.json({ detail: `request body exceeds ${maxBytes} bytes`, code: ErrorCode.MALFORMED_REQUEST }, 413, {
      connection: 'close',
    })
  const chunked = bodyLimit({ maxSize: maxBytes, onError: tooLarge })
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const length = c.req.header('content-length')
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return chunked(c, next)
    return Number(length) > maxBytes ? tooLarge(c) : next()
  }
}

const checked = <T extends z.ZodType>(name: string, value: unknown, schema: T): z.output<T> =>
  parseRequest(z.object({ [name]: schema }), { [name]: value })[name] as z.output<T>

/** A path parameter checked against `schema`; a refusal names the parameter. */
export const param = <T extends z.ZodType>(c: Context, name: string, schema: T): z.output<T> =>
  checked(name, c.req.param(name), schema)

/** A query parameter checked against `schema`; a refusal names the parameter. */
export const query = <T extends z.ZodType>(c: Context, name: string, schema: T): z.output<T> =>
  checked(name, c.req.query(name), schema)

/** An optional request header checked against `schema`; a refusal names the header. */
export const header = <T extends z.ZodType>(c: Context, name: string, schema: T): z.output<T> | undefined =>
  checked(name, c.req.header(name), schema.optional())

/** The request's JSON body checked against `schema`. */
export const body = async <T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> =>
  parseRequest(schema, await jsonBody(c))

/** The error each refused request was answered with, for its log line. */
const refusals = new WeakMap<Request, MintError>()

/** A request id and a log line per request; `observe` (metrics) wraps every request too. */
export function logRequests(app: Hono, logger: Logger | undefined, observe?: MiddlewareHandler): void {
  app.use('*', requestId())
  if (observe) app.use('*', observe)
  app.use('*', async (c, next) => {
    const started = performance.now()
    await next()
    const refusal = refusals.get(c.req.raw)
    logger?.info(
      {
        reqId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
        ...(refusal ? { code: refusal.code, detail: refusal.message } : {}),
      },
      'request',
    )
  })
}

/**
 * A database error names the statement's parameters (drizzle: "Failed query: … params: …"), which
 * may be proofs, secrets or tokens: the log gets the statement and the database's own message only.
 */
function withoutParameters(error: Error): { name: string; message: string; cause?: string; stack?: string } {
  const hide = (text: string) => text.replace(/\nparams: [\s\S]*$/, '\nparams: (not logged)')
  const cause = error.cause instanceof Error ? error.cause.message : undefined
  return {
    name: error.name,
    message: hide(error.message),
    ...(cause ? { cause } : {}),
    ...(error.stack ? { stack: hide(error.stack) } : {}),
  }
}

/** `refusal`: a path no route serves that is still the client's mistake (400 with that error), not a 404. */
export function answerErrors(
  app: Hono,
  logger: Logger | undefined,
  refusal?: (path: string) => MintError | undefined,
): void {
  app.notFound((c) => {
    const refused = refusal?.(c.req.path)
    if (refused) {
      refusals.set(c.req.raw, refused)
      return c.json(refused.toJSON(), 400)
    }
    return c.json(
      { detail: `no endpoint ${c.req.method} ${c.req.path}`, code: ErrorCode.MALFORMED_REQUEST },
      404,
    )
  })
  app.onError((error, c) => {
    if (error instanceof MintError) {
      refusals.set(c.req.raw, error)
      return c.json(error.toJSON(), 400)
    }
    // A dependency is down: the wallet should retry; the outage itself is logged once where it is seen.
    if (error instanceof UnavailableError)
      return c.json(
        {
          detail: `${error.dependency} temporarily unavailable, retry shortly`,
          code: ErrorCode.TEMPORARILY_UNAVAILABLE,
        },
        503,
        { 'retry-after': String(error.retryAfterSeconds) },
      )
    // Hono's own refusals (401 from bearer auth) keep their status.
    if (error instanceof HTTPException) return error.getResponse()
    logger?.error({ reqId: c.get('requestId'), err: withoutParameters(error) }, 'internal error')
    return c.json({ detail: 'internal error', code: 0 }, 500)
  })
}
