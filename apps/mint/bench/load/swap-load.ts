/**
 * The load generator every mint gets, in a process of its own so its CPU is not the mint's:
 * `node swap-load.ts <mint url> <clients> <seconds>`. Each client tops up 8 proofs of 1 sat (a mint
 * quote the FakeWallet pays, then a mint of 8 outputs), prints `ready`, waits for a line on stdin,
 * then swaps its 8 proofs into 8 new ones (DLEQ on every signature) in a loop for `seconds`. It
 * prints one JSON line: swaps, swaps/s, p50 and p99 latency in ms, errors, and how many swaps had to
 * blind their outputs inside the measured time. A swap the mint refuses (an HTTP error: Nutshell
 * gives up on its table lock after 1 s, cdk-mintd on SQLite answers "database is locked") is counted
 * and tried again with the same proofs; only a mint that stops answering ends the run.
 *
 * The client's crypto is done before `ready`, so that on a 2-core machine the load generator takes
 * as little CPU as it can from the mint it measures (it took about half a core when it blinded and
 * unblinded in the loop): each output's secret, r, B_ = Y + r*G and -r*K are prepared for
 * BENCH_PREPARED_SWAPS_PER_SECOND swaps a second (default 40 times the clients), which no mint here
 * reaches, and unblinding is then one point addition, C = C_ + (-r*K). The requests are the same as
 * any wallet's: fresh secrets, 8 inputs and 8 outputs a swap.
 */
import { Agent, request } from 'node:http'
import { createInterface } from 'node:readline'
import { bytesToHex, compressPoint, hexToBytes, selectCurveBackend } from '@cashu-mint/core/crypto'
import {
  type BlindSignature,
  type GetKeysResponse,
  type Proof,
  parseJson,
  stringifyJson,
} from '@cashu-mint/core/protocol'
import { type BlindedOutputs, blindOutputs } from '@cashu-mint/core/testing'
import { percentile } from './figures.ts'

const [url = '', clientsArg = '16', secondsArg = '20'] = process.argv.slice(2)
const clients = Number(clientsArg)
const seconds = Number(secondsArg)
const curve = selectCurveBackend('native')
const EIGHT = Array<bigint>(8).fill(1n)

// node:http with one kept-alive socket per client: fetch (undici) cost the client about twice the CPU.
const agent = new Agent({ keepAlive: true, maxSockets: clients })

/** An answer with an error status: the mint is there and refused the request. */
class Refused extends Error {}

function call<T>(path: string, body?: unknown): Promise<T> {
  const payload = body === undefined ? undefined : stringifyJson(body)
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        agent,
        method: payload === undefined ? 'GET' : 'POST',
        headers: payload === undefined ? {} : { 'content-type': 'application/json' },
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('error', reject)
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          if ((response.statusCode ?? 0) >= 300)
            reject(new Refused(`${path}: ${response.statusCode} ${text.slice(0, 200)}`))
          else resolve(parseJson(text) as T)
        })
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

const keys = await call<GetKeysResponse>('/v1/keys')
const keyset = keys.keysets.find((k) => k.unit === 'sat' && k.active !== false)
if (!keyset) throw new Error('no active sat keyset')

/** One swap's outputs, blinded, with -r*K for each so that unblinding is one addition. */
interface PreparedOutputs {
  blinded: BlindedOutputs
  minusRK: Uint8Array[]
}

const keysetId = keyset.id
const oneSatKey = hexToBytes(keyset.keys['1'] as string)

function prepareOutputs(): PreparedOutputs {
  const blinded = blindOutputs(curve, keysetId, EIGHT)
  const minusRK = blinded.blindingFactors.map((r) => curve.negate(curve.multiply(oneSatKey, r)))
  return { blinded, minusRK }
}

function unblindPrepared(prepared: PreparedOutputs, signatures: readonly BlindSignature[]): Proof[] {
  return signatures.map((signature, i) => ({
    id: signature.id,
    amount: signature.amount,
    secret: prepared.blinded.secrets[i] as string,
    C: bytesToHex(compressPoint(curve.add(hexToBytes(signature.C_), prepared.minusRK[i] as Uint8Array))),
  }))
}

async function topUp(): Promise<Proof[]> {
  const { quote } = await call<{ quote: string }>('/v1/mint/quote/bolt11', { amount: 8n, unit: 'sat' })
  for (;;) {
    const { state } = await call<{ state: string }>(`/v1/mint/quote/bolt11/${quote}`)
    if (state === 'PAID') break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const outputs = prepareOutputs()
  const { signatures } = await call<{ signatures: BlindSignature[] }>('/v1/mint/bolt11', {
    quote,
    outputs: outputs.blinded.outputs,
  })
  return unblindPrepared(outputs, signatures)
}

const wallets = await Promise.all(Array.from({ length: clients }, topUp))
const perSecond = Number(process.env.BENCH_PREPARED_SWAPS_PER_SECOND ?? 40 * clients)
const prepared = Array.from({ length: Math.ceil(perSecond * seconds) }, prepareOutputs)
let preparedInside = 0
console.log('ready')
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()))

const latencies: number[] = []
let errors = 0
let unanswered = 0
const started = performance.now()
const end = started + seconds * 1000
await Promise.all(
  wallets.map(async (_, client) => {
    while (performance.now() < end) {
      const outputs =
        prepared.pop() ??
        (() => {
          preparedInside++
          return prepareOutputs()
        })()
      const t0 = performance.now()
      try {
        const { signatures } = await call<{ signatures: BlindSignature[] }>('/v1/swap', {
          inputs: wallets[client],
          outputs: outputs.blinded.outputs,
        })
        latencies.push(performance.now() - t0)
        wallets[client] = unblindPrepared(outputs, signatures)
      } catch (error) {
        errors++
        if (errors === 1) console.error(`first error: ${error}`)
        if (!(error instanceof Refused) && ++unanswered > 100) throw error
      }
    }
  }),
)
const elapsed = (performance.now() - started) / 1000
latencies.sort((a, b) => a - b)
console.log(
  JSON.stringify({
    swaps: latencies.length,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
    preparedInside,
  }),
)
// stdin (the "go" line) and keep-alive sockets would keep the process alive after its report.
process.exit(0)
