/**
 * A fuzzing campaign: `runs` requests from a seed, sent one after another over one keep-alive
 * connection per listener (so a connection the server drops shows up on the next request) and one
 * websocket, each answer checked: no 5xx, no dropped connection, every 400 a NUT error whose 10000
 * detail names the field. Then the aftermath: every proof the fuzzer holds is unspent unless an
 * answered request spent it, none is pending, and the mint still mints and swaps.
 */
import { Agent, request as httpRequest } from 'node:http'
import { Wallet } from '@cashu/cashu-ts'
import { bytesToHex, hashSecretToCurve } from '@cashu-mint/core/crypto'
import { parseJson } from '@cashu-mint/core/protocol'
import fc from 'fast-check'
import { curve } from '../../../../packages/storage/test/mint-fixture.ts'
import { topUp } from '../test-server.ts'
import { BODY_LIMIT, type FuzzTarget, secretsSpentBy } from './fuzz-target.ts'
import { type FuzzRequest, fuzzRequests } from './mutations.ts'

export interface EndpointFigures {
  requests: number
  /** Answers by status class: 2xx, 4xx, 5xx (and 1009 for websockets closed over a message too big). */
  answers: Record<string, number>
  dropped: number
}

export interface Failure {
  seed: number
  index: number
  problem: string
  request: FuzzRequest
}

export interface CampaignResult {
  seed: number
  requests: number
  byEndpoint: Map<string, EndpointFigures>
  failures: Failure[]
  /** Problems found after the campaign (proof states, minting and swapping). */
  aftermath: string[]
}

interface Answer {
  status: number
  text: string
}

/** Whether a 10000 detail says which field (or the body as a whole) is wrong. */
const namesField = (detail: string) =>
  /^[A-Za-z_$][\w$]*(\.[\w$]+)*: /.test(detail) || /^(request body|no endpoint)/.test(detail)

export function problemWith(answer: Answer): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}: ${answer.text.slice(0, 200)}`
  if (answer.status !== 400 && answer.status !== 413) return undefined
  let error: { code?: unknown; detail?: unknown }
  try {
    error = parseJson(answer.text) as typeof error
  } catch {
    return `${answer.status} without a JSON body`
  }
  if (typeof error?.code !== 'bigint' || typeof error.detail !== 'string' || error.detail === '')
    return `${answer.status} without {detail, code}: ${answer.text.slice(0, 200)}`
  if (error.code === 10000n && !namesField(error.detail)) return `10000 naming no field: ${error.detail}`
  return undefined
}

function send(base: URL, agent: Agent, request: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = request.body === undefined ? undefined : Buffer.from(request.body)
    const outgoing = httpRequest(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: request.method,
        path: request.path,
        headers: { ...request.headers, ...(body ? { 'content-length': body.length } : {}) },
        timeout: 30_000,
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
        )
        response.on('error', reject)
      },
    )
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer in 30 s')))
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

/** One websocket for the campaign, reopened when the server closes it over a message too big. */
class FuzzSocket {
  #socket: WebSocket | undefined
  #waiting: ((answer: Answer) => void) | undefined
  readonly url: string
  constructor(url: string) {
    this.url = url
  }

  async #open(): Promise<WebSocket> {
    if (this.#socket?.readyState === WebSocket.OPEN) return this.#socket
    const socket = new WebSocket(this.url)
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true })
      socket.addEventListener('error', () => reject(new Error('websocket did not open')), { once: true })
    })
    socket.addEventListener('message', (event) => {
      const text = String(event.data)
      // Notifications (current state, changes) come between answers; only answers are awaited.
      if (/"(result|error)"/.test(text)) this.#waiting?.({ status: 200, text })
    })
    socket.addEventListener('close', (event) => this.#waiting?.({ status: -event.code, text: event.reason }))
    this.#socket = socket
    return socket
  }

  async send(body: string | Uint8Array): Promise<Answer> {
    const socket = await this.#open()
    const answer = new Promise<Answer>((resolve) => {
      const timer = setTimeout(() => resolve({ status: 0, text: 'no answer in 5 s' }), 5000)
      this.#waiting = (a) => {
        clearTimeout(timer)
        resolve(a)
      }
    })
    socket.send(body)
    const got = await answer
    this.#waiting = undefined
    return got
  }

  close() {
    this.#socket?.close()
  }
}

export async function runCampaign(target: FuzzTarget, runs: number, seed: number): Promise<CampaignResult> {
  const agents = {
    public: new Agent({ keepAlive: true, maxSockets: 1 }),
    admin: new Agent({ keepAlive: true, maxSockets: 1 }),
  }
  const bases = { public: new URL(target.server.url), admin: new URL(target.server.adminUrl) }
  const socket = new FuzzSocket(`${target.server.url.replace('http', 'ws')}/v1/ws`)
  const result: CampaignResult = { seed, requests: 0, byEndpoint: new Map(), failures: [], aftermath: [] }
  const spent = new Set<string>()
  for (let index = 0; index < runs; index++) {
    // Drawn one at a time from the templates as they are now (refreshed after each success).
    const [request] = fc.sample(fuzzRequests(target.templates, target.headers, BODY_LIMIT), {
      numRuns: 1,
      seed: seed + index,
    })
    if (!request) throw new Error('no request drawn')
    const figures = result.byEndpoint.get(request.endpoint) ?? { requests: 0, answers: {}, dropped: 0 }
    result.byEndpoint.set(request.endpoint, figures)
    figures.requests++
    result.requests++
    const fail = (problem: string) => result.failures.push({ seed, index, problem, request })
    let answer: Answer
    try {
      if (request.listener === 'ws') {
        answer = await socket.send(request.body ?? '')
        if (answer.status === -1009) {
          figures.answers['1009'] = (figures.answers['1009'] ?? 0) + 1
          continue
        }
        if (answer.status <= 0) {
          figures.dropped++
          fail(`websocket: ${answer.status === 0 ? answer.text : `closed ${-answer.status} ${answer.text}`}`)
          continue
        }
      } else answer = await send(bases[request.listener], agents[request.listener], request)
    } catch (error) {
      figures.dropped++
      fail(`connection failed: ${(error as Error).message}`)
      continue
    }
    const status = `${Math.floor(answer.status / 100)}xx`
    figures.answers[status] = (figures.answers[status] ?? 0) + 1
    const problem = problemWith(answer)
    if (problem) fail(problem)
    if (answer.status === 200 && request.body !== undefined) {
      let body: unknown
      try {
        body = parseJson(Buffer.from(request.body).toString())
      } catch {}
      for (const secret of secretsSpentBy(request.endpoint, body)) spent.add(secret)
      await target.refresh(request.endpoint)
    }
  }
  socket.close()
  agents.public.destroy()
  agents.admin.destroy()
  result.aftermath = await aftermath(target, spent)
  return result
}

/** What must hold after any campaign: proofs only spent by answered requests, and a mint that works. */
async function aftermath(target: FuzzTarget, spent: Set<string>): Promise<string[]> {
  const problems: string[] = []
  const ys = target.proofs.map((p) => bytesToHex(hashSecretToCurve(curve, p.secret)))
  const { states } = await target.server.mint.checkState(ys)
  states.forEach((state, i) => {
    const proof = target.proofs[i]
    if (state.state === 'PENDING') problems.push(`proof ${proof?.amount} is left PENDING`)
    if (state.state === 'SPENT' && !spent.has(proof?.secret ?? ''))
      problems.push(`proof ${proof?.amount} is SPENT though no request that spent it was answered 200`)
  })
  try {
    // The campaign may have switched Lightning off for sat through the admin API, as an operator may.
    await fetch(`${target.server.adminUrl}/v1/admin/settings`, {
      method: 'PATCH',
      headers: target.headers.admin,
      body: JSON.stringify({ mint_enabled: { sat: true }, melt_enabled: { sat: true } }),
    })
    const wallet = new Wallet(target.server.url, { unit: 'sat' })
    await wallet.loadMint()
    const { proofs } = await topUp(wallet, 64)
    const { send } = await wallet.send(10, proofs, { includeFees: true })
    if (send.length === 0) problems.push('swap after the campaign gave nothing')
  } catch (error) {
    problems.push(`minting and swapping after the campaign failed: ${(error as Error).message}`)
  }
  return problems
}
