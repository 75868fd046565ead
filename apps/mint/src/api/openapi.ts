/**
 * OpenAPI 3.1 documents for the public (NUT) and the admin API, generated from the zod schemas the
 * routes validate with, so the documentation cannot drift from what the mint accepts. Integers are
 * u64: JSON numbers that may exceed 2^53, written `{"type": "integer", "format": "uint64"}`.
 */
import {
  HoldRequestBody,
  HoldResponseBody,
  RedeemRequestBody,
  RedeemResponseBody,
  RefundRequestBody,
  RefundResponseBody,
  SettleRequestBody,
  SettleResponseBody,
} from '@cashu-mint/accept'
import { GetKeysetsResponse } from '@cashu-mint/core/protocol'
import { z } from 'zod'
import { OperatorSettings } from '../config/operator-settings.ts'
import { IssueRequestBody, RotateRequestBody } from './admin-schemas.ts'

/** An endpoint to describe: the public route table's entries are these too (public/routes.ts). */
export interface Operation {
  method: string
  /** OpenAPI style: `/v1/keys/{id}`. */
  path: string
  summary: string
  request?: z.ZodType
  response?: z.ZodType
}

const uint64 = { type: 'integer', format: 'uint64', minimum: 0 }

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(schema, {
    io,
    target: 'openapi-3.0',
    unrepresentable: 'any',
    override: (context) => {
      if ((context.zodSchema as { _zod: { def: { type: string } } })._zod.def.type === 'bigint')
        Object.assign(context.jsonSchema, uint64)
    },
  })
}

const ERROR = {
  description: 'refused: the NUT error code and a detail',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['detail', 'code'],
        properties: { detail: { type: 'string' }, code: { type: 'integer' } },
      },
    },
  },
}

/** What the public listener serves besides the route table's endpoints. */
const PUBLIC_EXTRA: Operation[] = [
  { method: 'get', path: '/health', summary: 'status for probes: 200 ok or degraded, 503 down' },
]

const ADMIN: Operation[] = [
  {
    method: 'get',
    path: '/health',
    summary: 'status with the database check and one per payment backend (no token); 503 when down',
  },
  {
    method: 'post',
    path: '/v1/admin/issue',
    summary: 'operator issuance: a paid quote any wallet mints',
    request: IssueRequestBody,
  },
  {
    method: 'post',
    path: '/v1/admin/redeem',
    summary: 'accept a token as payment (Idempotency-Key header)',
    request: RedeemRequestBody,
    response: RedeemResponseBody,
  },
  {
    method: 'post',
    path: '/v1/admin/receipts/{id}/refund',
    summary: 'give a receipt’s price back as a token, once',
    request: RefundRequestBody,
    response: RefundResponseBody,
  },
  {
    method: 'post',
    path: '/v1/admin/holds',
    summary: 'hold a token for the most the service may keep, until it settles (Idempotency-Key header)',
    request: HoldRequestBody,
    response: HoldResponseBody,
  },
  {
    method: 'post',
    path: '/v1/admin/holds/{id}/settle',
    summary: 'keep part of a hold and give the rest back as a token, once',
    request: SettleRequestBody,
    response: SettleResponseBody,
  },
  { method: 'get', path: '/v1/admin/settings', summary: 'run-time settings', response: OperatorSettings },
  {
    method: 'patch',
    path: '/v1/admin/settings',
    summary: 'change info and Lightning switches',
    request: OperatorSettings,
    response: OperatorSettings,
  },
  { method: 'get', path: '/v1/admin/keysets', summary: 'all keysets', response: GetKeysetsResponse },
  {
    method: 'get',
    path: '/v1/admin/auth',
    summary: 'NUT-21/22 access control: the rules, and BATs minted per OpenID subject (counts only)',
  },
  {
    method: 'post',
    path: '/v1/admin/keysets/rotate',
    summary: 'a new active keyset for a unit',
    request: RotateRequestBody,
    response: GetKeysetsResponse,
  },
  {
    method: 'get',
    path: '/v1/admin/balance',
    summary: 'outstanding ecash, each backend’s balance against what is owed through it, fees, pending melts',
  },
  {
    method: 'get',
    path: '/v1/admin/balance/drift',
    summary: 'how far the running totals the balance reads are from a recount of the rows',
  },
  {
    method: 'post',
    path: '/v1/admin/balance/recount',
    summary: 'add that drift to the running totals, so they agree with the rows again',
  },
  {
    method: 'get',
    path: '/v1/admin/backends',
    summary: 'the payment backends: what each serves and can do, whether it answers, its balance',
  },
  { method: 'get', path: '/v1/admin/flows', summary: 'issuance and redemption per hour (?hours=48)' },
  { method: 'get', path: '/v1/admin/quotes', summary: 'recent quotes (?kind=mint|melt&limit=50)' },
  { method: 'get', path: '/v1/admin/quotes/{id}', summary: 'one mint or melt quote, with its melt saga' },
  {
    method: 'get',
    path: '/v1/admin/search',
    summary: 'quotes and issuances by quote id, payment hash or issuance reference (?q=)',
  },
  { method: 'get', path: '/v1/admin/backup', summary: 'a consistent copy of the database (no seed)' },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics' },
]

/** The admin API's document, or the public one of the given route table's endpoints. */
export function openApiDocument(
  api: 'public' | 'admin',
  version: string,
  routes: readonly Operation[] = [],
): Record<string, unknown> {
  const operations = api === 'public' ? [...PUBLIC_EXTRA, ...routes] : ADMIN
  const paths: Record<string, Record<string, unknown>> = {}
  for (const op of operations) {
    const parameters = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }))
    paths[op.path] = {
      ...paths[op.path],
      [op.method.toLowerCase()]: {
        summary: op.summary,
        ...(parameters.length ? { parameters } : {}),
        ...(op.request
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: jsonSchema(op.request, 'input') } },
              },
            }
          : {}),
        ...(api === 'admin' ? { security: [{ bearer: [] }] } : {}),
        responses: {
          '200': {
            description: 'OK',
            ...(op.response
              ? { content: { 'application/json': { schema: jsonSchema(op.response, 'output') } } }
              : {}),
          },
          '400': ERROR,
          ...(api === 'admin' ? { '401': { description: 'missing or wrong bearer token' } } : {}),
        },
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: api === 'public' ? 'cashu-mint: Cashu NUT API' : 'cashu-mint: admin API',
      version,
      description:
        api === 'public'
          ? 'The endpoints Cashu wallets use (github.com/cashubtc/nuts). Integers are exact u64.'
          : 'Operator endpoints, on the admin listener, behind Authorization: Bearer <admin token>.',
    },
    paths,
    ...(api === 'admin'
      ? { components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } }
      : {}),
  }
}
