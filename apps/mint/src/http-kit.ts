/**
 * What the public and the admin listeners share: lossless JSON in and out, one log line per request
 * (method, path, status, time: never a body, which carries proofs and secrets; for a refused request
 * also the NUT code and detail the wallet got, so the operator sees why without the wallet's output),
 * and errors as `400 {"detail","code"}` for a MintError and a 500 that reveals nothing for anything else.
 */
import { ErrorCode, MintError, parseJsonRequest, stringifyJson } from '@cashu-mint/core/protocol'
import type { Context, Hono, MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import type { Logger } from 'pino'
import type { z } from 'zod'

export const json = (c: Context, value: unknown, status: 200 | 503 = 200) =>
  c.body(stringifyJson(value), status, { 'content-type': 'application/json; charset=utf-8' })

/** The request's JSON body checked against `schema`; no body at all counts as `{}`. */
export const body = async <T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> => {
  const text = await c.req.text()
  return parseJsonRequest(schema, text.trim() === '' ? '{}' : text)
}

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

export function answerErrors(app: Hono, logger: Logger | undefined): void {
  app.notFound((c) =>
    c.json({ detail: `no endpoint ${c.req.method} ${c.req.path}`, code: ErrorCode.MALFORMED_REQUEST }, 404),
  )
  app.onError((error, c) => {
    if (error instanceof MintError) {
      refusals.set(c.req.raw, error)
      return c.json(error.toJSON(), 400)
    }
    // Hono's own refusals (401 from bearer auth) keep their status.
    if (error instanceof HTTPException) return error.getResponse()
    logger?.error({ reqId: c.get('requestId'), err: error }, 'internal error')
    return c.json({ detail: 'internal error', code: 0 }, 500)
  })
}
