/**
 * The load generator every mint gets, in a process of its own so its CPU is not the mint's:
 * `node swap-load.ts <mint url> <clients> <seconds>`. Each client tops up 8 proofs of 1 sat (a mint
 * quote the FakeWallet pays, then a mint of 8 outputs), prints `ready`, waits for a line on stdin,
 * then swaps its 8 proofs into 8 new ones (DLEQ on every signature) in a loop for `seconds`. It
 * prints one JSON line: swaps, swaps/s, p50 and p99 latency in ms, and errors. Blinding and
 * unblinding use the native curve backend, so a client costs little next to the mint.
 */
import { createInterface } from 'node:readline'
import { selectCurveBackend } from '@cashu-mint/core/crypto'
import { type GetKeysResponse, type Proof, parseJson, stringifyJson } from '@cashu-mint/core/protocol'
import { blindOutputs, unblindProofs } from '@cashu-mint/core/testing'
import { percentile } from './figures.ts'

const [url = '', clientsArg = '16', secondsArg = '20'] = process.argv.slice(2)
const clients = Number(clientsArg)
const seconds = Number(secondsArg)
const curve = selectCurveBackend('native')
const EIGHT = Array<bigint>(8).fill(1n)

async function call<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    ...(body === undefined ? {} : { method: 'POST', body: stringifyJson(body) }),
    headers: { 'content-type': 'application/json' },
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text.slice(0, 200)}`)
  return parseJson(text) as T
}

const keys = await call<GetKeysResponse>('/v1/keys')
const keyset = keys.keysets.find((k) => k.unit === 'sat' && k.active !== false)
if (!keyset) throw new Error('no active sat keyset')

async function topUp(): Promise<Proof[]> {
  const { quote } = await call<{ quote: string }>('/v1/mint/quote/bolt11', { amount: 8n, unit: 'sat' })
  for (;;) {
    const { state } = await call<{ state: string }>(`/v1/mint/quote/bolt11/${quote}`)
    if (state === 'PAID') break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const blinded = blindOutputs(curve, keyset?.id as string, EIGHT)
  const { signatures } = await call<{ signatures: never[] }>('/v1/mint/bolt11', {
    quote,
    outputs: blinded.outputs,
  })
  return unblindProofs(curve, keys, blinded, signatures)
}

const wallets = await Promise.all(Array.from({ length: clients }, topUp))
console.log('ready')
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()))

const latencies: number[] = []
let errors = 0
const started = performance.now()
const end = started + seconds * 1000
await Promise.all(
  wallets.map(async (_, client) => {
    while (performance.now() < end) {
      const blinded = blindOutputs(curve, keyset.id, EIGHT)
      const t0 = performance.now()
      try {
        const { signatures } = await call<{ signatures: never[] }>('/v1/swap', {
          inputs: wallets[client],
          outputs: blinded.outputs,
        })
        latencies.push(performance.now() - t0)
        wallets[client] = unblindProofs(curve, keys, blinded, signatures)
      } catch (error) {
        errors++
        if (errors > 100) throw error
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
  }),
)
// stdin (the "go" line) and keep-alive sockets would keep the process alive after its report.
process.exit(0)
