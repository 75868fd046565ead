/**
 * Every public endpoint, one entry each: its method and path, the schemas of its request and
 * answer, what NUT-19 replays of it, whether the operator's access rules may protect it, what shows
 * after a crash that it took effect (NUT-22 recovery), and its handler. The Hono app serves exactly
 * these (app.ts), the OpenAPI document describes them (api/openapi.ts), /v1/info advertises their
 * NUT-19 and NUT-29 lines (mint-info.ts), the response cache stores the ones it must, and access
 * control finds here what it may protect and what a spent BAT's request leaves; a test checks that
 * each of them reads this table and nothing else is served. The NUT-04/05 routes exist once per
 * payment method this mint's backends serve.
 */
import { ClaimRequestBody, ClaimResponseBody } from '@cashu-mint/accept'
import type { EvidenceKind, Mint } from '@cashu-mint/core/mint'
import {
  ErrorCode,
  GetInfoResponse,
  GetKeysetsResponse,
  GetKeysResponse,
  keysetId,
  MeltQuoteBolt11Response,
  MintError,
  MintQuoteBolt11Response,
  PostAuthBlindMintRequest,
  PostAuthBlindMintResponse,
  PostCheckStateRequest,
  PostCheckStateResponse,
  PostMeltQuoteBolt11Request,
  PostMeltRequest,
  PostMintBatchRequest,
  PostMintQuoteBolt11Request,
  PostMintQuoteCheckRequest,
  PostMintRequest,
  PostMintResponse,
  PostRestoreRequest,
  PostRestoreResponse,
  PostSwapRequest,
  PostSwapResponse,
  quoteId,
} from '@cashu-mint/core/protocol'
import type { Context } from 'hono'
import { z } from 'zod'
import { body, json, param } from '../api/http-kit.ts'
import { authSubject } from './access-control.ts'

export interface RouteEntry {
  method: 'GET' | 'POST'
  /** OpenAPI style: `/v1/keys/{id}`. */
  path: string
  summary: string
  request?: z.ZodType
  response?: z.ZodType
  /**
   * NUT-19: a wallet that retries gets the first answer, from the engine (it answers a repeated
   * swap or mint with the stored signatures) or from the response cache (a melt's final state).
   */
  replay?: 'engine' | 'stored'
  /** false: always open whatever the access rules say (what a wallet reads before it can hold a token). */
  protectable: boolean
  /** NUT-22: what recovery reads to tell whether the request took effect after a crash. */
  evidence?: EvidenceKind
  /** Only with NUT-21/22 access control configured. */
  blindAuthOnly?: boolean
  handle(mint: Mint, c: Context): Promise<Response> | Response
}

/** NUT-04/05/23 for one payment method. The request and answer shapes are bolt11's: the only method yet. */
function paymentRoutes(method: string): RouteEntry[] {
  return [
    {
      method: 'POST',
      path: `/v1/mint/quote/${method}`,
      summary: `NUT-04/23 ${method} mint quote`,
      request: PostMintQuoteBolt11Request,
      response: MintQuoteBolt11Response,
      protectable: true,
      handle: async (mint, c) =>
        json(c, await mint.createMintQuote(await body(c, PostMintQuoteBolt11Request), method)),
    },
    {
      method: 'POST',
      path: `/v1/mint/quote/${method}/check`,
      summary: 'NUT-29 several mint quotes',
      request: PostMintQuoteCheckRequest,
      response: z.array(MintQuoteBolt11Response),
      protectable: true,
      handle: async (mint, c) =>
        json(c, await mint.checkMintQuotes((await body(c, PostMintQuoteCheckRequest)).quotes, method)),
    },
    {
      method: 'GET',
      path: `/v1/mint/quote/${method}/{id}`,
      summary: `NUT-04 ${method} mint quote state`,
      response: MintQuoteBolt11Response,
      protectable: true,
      handle: async (mint, c) => json(c, await mint.getMintQuote(param(c, 'id', quoteId), method)),
    },
    {
      method: 'POST',
      path: `/v1/mint/${method}`,
      summary: 'NUT-04 mint',
      request: PostMintRequest,
      response: PostMintResponse,
      replay: 'engine',
      protectable: true,
      evidence: 'mint',
      handle: async (mint, c) => json(c, await mint.mint(await body(c, PostMintRequest), method)),
    },
    {
      method: 'POST',
      path: `/v1/mint/${method}/batch`,
      summary: 'NUT-29 batch mint',
      request: PostMintBatchRequest,
      response: PostMintResponse,
      replay: 'engine',
      protectable: true,
      evidence: 'mint',
      handle: async (mint, c) => json(c, await mint.mintBatch(await body(c, PostMintBatchRequest), method)),
    },
    {
      method: 'POST',
      path: `/v1/melt/quote/${method}`,
      summary: `NUT-05/15/23 ${method} melt quote`,
      request: PostMeltQuoteBolt11Request,
      response: MeltQuoteBolt11Response,
      protectable: true,
      handle: async (mint, c) =>
        json(c, await mint.createMeltQuote(await body(c, PostMeltQuoteBolt11Request), method)),
    },
    {
      method: 'GET',
      path: `/v1/melt/quote/${method}/{id}`,
      summary: `NUT-05 ${method} melt quote state`,
      response: MeltQuoteBolt11Response,
      protectable: true,
      handle: async (mint, c) => json(c, await mint.getMeltQuote(param(c, 'id', quoteId), method)),
    },
    {
      method: 'POST',
      path: `/v1/melt/${method}`,
      summary: 'NUT-05/08 melt',
      request: PostMeltRequest,
      response: MeltQuoteBolt11Response,
      replay: 'stored',
      protectable: true,
      evidence: 'melt',
      handle: async (mint, c) => json(c, await mint.melt(await body(c, PostMeltRequest), method)),
    },
  ]
}

const KEYS: RouteEntry[] = [
  {
    method: 'GET',
    path: '/v1/keys',
    summary: 'NUT-01 active keysets and their keys',
    response: GetKeysResponse,
    protectable: false,
    handle: (mint, c) => json(c, mint.keys()),
  },
  {
    method: 'GET',
    path: '/v1/keys/{id}',
    summary: 'NUT-01 keys of one keyset',
    response: GetKeysResponse,
    protectable: false,
    handle: (mint, c) => json(c, mint.keys(param(c, 'id', keysetId))),
  },
  {
    method: 'GET',
    path: '/v1/keysets',
    summary: 'NUT-02 all keysets',
    response: GetKeysetsResponse,
    protectable: false,
    handle: (mint, c) => json(c, mint.keysets()),
  },
]

const PROOFS: RouteEntry[] = [
  {
    method: 'POST',
    path: '/v1/swap',
    summary: 'NUT-03 swap',
    request: PostSwapRequest,
    response: PostSwapResponse,
    replay: 'engine',
    protectable: true,
    evidence: 'swap',
    handle: async (mint, c) => json(c, await mint.swap(await body(c, PostSwapRequest))),
  },
  {
    method: 'POST',
    path: '/v1/checkstate',
    summary: 'NUT-07 proof states',
    request: PostCheckStateRequest,
    response: PostCheckStateResponse,
    protectable: true,
    handle: async (mint, c) => json(c, await mint.checkState((await body(c, PostCheckStateRequest)).Ys)),
  },
  {
    method: 'POST',
    path: '/v1/restore',
    summary: 'NUT-09 restore',
    request: PostRestoreRequest,
    response: PostRestoreResponse,
    protectable: true,
    handle: async (mint, c) => json(c, await mint.restore((await body(c, PostRestoreRequest)).outputs)),
  },
  {
    method: 'POST',
    path: '/v1/holds/{id}/claim',
    summary: 'what a hold gave back, for the payer holding its claim secret',
    request: ClaimRequestBody,
    response: ClaimResponseBody,
    protectable: true,
    handle: async (mint, c) => {
      const { secret } = await body(c, ClaimRequestBody)
      const { hold, proofs } = await mint.claimHold({ holdId: param(c, 'id', quoteId), secret })
      return json(c, { hold, proofs })
    },
  },
]

const BLIND_AUTH: RouteEntry[] = [
  {
    method: 'GET',
    path: '/v1/auth/blind/keys',
    summary: 'NUT-22 the active auth keyset',
    response: GetKeysResponse,
    protectable: false,
    blindAuthOnly: true,
    handle: (mint, c) => json(c, mint.authKeys()),
  },
  {
    method: 'GET',
    path: '/v1/auth/blind/keys/{id}',
    summary: 'NUT-22 an auth keyset',
    response: GetKeysResponse,
    protectable: false,
    blindAuthOnly: true,
    handle: (mint, c) => json(c, mint.authKeys(param(c, 'id', keysetId))),
  },
  {
    method: 'GET',
    path: '/v1/auth/blind/keysets',
    summary: 'NUT-22 auth keysets',
    response: GetKeysetsResponse,
    protectable: false,
    blindAuthOnly: true,
    handle: (mint, c) => json(c, mint.authKeysets()),
  },
  {
    method: 'POST',
    path: '/v1/auth/blind/mint',
    summary: 'NUT-22 mint blind auth tokens (Clear-auth header: an access token of the OpenID provider)',
    request: PostAuthBlindMintRequest,
    response: PostAuthBlindMintResponse,
    // Always behind clear auth (access-rules.ts), never behind blind auth.
    protectable: true,
    blindAuthOnly: true,
    async handle(mint, c) {
      const subject = authSubject(c)
      if (subject === undefined)
        throw new MintError(ErrorCode.CLEAR_AUTH_REQUIRED, 'minting BATs needs a Clear-auth token (NUT-21)')
      const { outputs } = await body(c, PostAuthBlindMintRequest)
      return json(c, await mint.mintBlindAuth(outputs, subject))
    },
  },
]

/** The NUT-06 info route: its answer comes from the service, which knows the operator's settings. */
export function infoRoute(info: () => unknown): RouteEntry {
  return {
    method: 'GET',
    path: '/v1/info',
    summary: 'NUT-06 mint info',
    response: GetInfoResponse,
    protectable: false,
    handle: (_mint, c) => json(c, info()),
  }
}

/**
 * The public endpoints (besides /v1/info, /v1/ws, /health and the documentation) for the given
 * payment methods, with the NUT-22 ones when blind auth is on.
 */
export function publicRoutes(methods: readonly string[], blindAuth: boolean): RouteEntry[] {
  return [...KEYS, ...PROOFS, ...methods.flatMap(paymentRoutes), ...BLIND_AUTH.filter(() => blindAuth)]
}

/** The path as Hono routes it: `{id}` becomes `:id`. */
export const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1')

/** The path as the access rules match it: a parameter is a prefix (`/v1/keys/*`). */
export const rulePath = (path: string) => path.replace(/\/\{\w+\}.*$/, '/*')
