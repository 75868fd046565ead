/**
 * The stamp relay's throughput and the latency its admission adds: BENCH_CLIENTS=20 nostr-tools
 * clients publish BENCH_EVENTS=1000 kind-1 events in all, as fast as the relay acknowledges them,
 * to nostr-rs-relay 0.8.12 alone (no admission) and to the stamp relay (each event with a 1-sat
 * stamp, redeemed at a mint through its admin listener). Prints events/s, the publish latency
 * p50/p99 a client sees, and the admission's own time (EventAdmit in, answer out) p50/p99;
 * BENCH_WRITE=1 puts the table into docs/benchmarks.md. The mint is the service in this process
 * (PGlite in memory); PostgreSQL is not needed.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { createRemoteRedeemer } from '@cashu-mint/accept'
import { selectCurveBackend } from '@cashu-mint/core/crypto'
import type { Proof } from '@cashu-mint/core/protocol'
import { blindOutputs, unblindProofs } from '@cashu-mint/core/testing'
import { encodeTokenV4 } from '@cashu-mint/core/token'
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'
import { Relay } from 'nostr-tools/relay'
import { percentile, writeBenchmarkSection } from '../../mint/bench/load/figures.ts'
import { freePort } from '../../mint/test/free-port.ts'
import { listening, startPeer, tool } from '../../mint/test/peers/peer-process.ts'
import { startTestServer } from '../../mint/test/test-server.ts'
import { serveAdmission } from '../src/admission-server.ts'
import { relayConfig } from '../src/relay-config.ts'
import { createStampAdmission, type StampPrices } from '../src/stamp-admission.ts'

const clients = Number(process.env.BENCH_CLIENTS ?? 20)
const events = Number(process.env.BENCH_EVENTS ?? 1000)
const ADMIN_TOKEN = 'stamp-relay-bench-token-0123456789abcdef'
const PRICES: StampPrices = { unit: 'sat', default: 1n }
const curve = selectCurveBackend('native')

const mint = await startTestServer({ CASHU_MINT_ADMIN_TOKEN: ADMIN_TOKEN, CASHU_MINT_LOG_LEVEL: 'silent' })
const keysetId = mint.mint.keysets().keysets.find((k) => k.active && k.unit === 'sat')?.id as string

/** `count` 1-sat stamps. */
async function stamps(count: number): Promise<string[]> {
  const proofs: Proof[] = []
  for (let done = 0; done < count; done += 500) {
    const amounts = Array.from({ length: Math.min(500, count - done) }, () => 1n)
    const quote = await mint.mint.createMintQuote({ amount: BigInt(amounts.length), unit: 'sat' })
    while ((await mint.mint.getMintQuote(quote.quote)).state !== 'PAID')
      await new Promise((resolve) => setTimeout(resolve, 20))
    const blinded = blindOutputs(curve, keysetId, amounts)
    const { signatures } = await mint.mint.mint({ quote: quote.quote, outputs: blinded.outputs })
    proofs.push(...unblindProofs(curve, mint.mint.keys(), blinded, signatures))
  }
  return proofs.map((proof) => encodeTokenV4({ mint: mint.url, unit: 'sat', proofs: [proof] }))
}

async function relayWith(admission: string | undefined) {
  const dir = await mkdtemp(join(tmpdir(), 'bench-relay-'))
  await mkdir(join(dir, 'data'))
  const port = await freePort()
  const config = {
    host: '127.0.0.1',
    port,
    dataDir: join(dir, 'data'),
    admission,
    name: 'bench',
    mintUrl: mint.url,
    prices: PRICES,
  }
  await writeFile(join(dir, 'config.toml'), relayConfig(config))
  const peer = await startPeer({
    name: 'nostr-rs-relay',
    command: tool('nostr-rs-relay.sh'),
    args: ['--config', join(dir, 'config.toml'), '--db', join(dir, 'data')],
    env: { RUST_LOG: 'warn' },
    ready: () => listening(port),
  })
  return { url: `ws://127.0.0.1:${port}`, stop: () => peer.kill() }
}

/** Every client publishes its share one after another; all clients at once. */
async function publishAll(url: string, tagsOf: (i: number) => string[][]) {
  const connected = await Promise.all(Array.from({ length: clients }, () => Relay.connect(url)))
  const latencies: number[] = []
  const per = Math.ceil(events / clients)
  const started = performance.now()
  await Promise.all(
    connected.map(async (client, c) => {
      for (let i = c * per; i < Math.min(events, (c + 1) * per); i++) {
        const event = finalizeEvent(
          { kind: 1, created_at: Math.floor(Date.now() / 1000), tags: tagsOf(i), content: `event ${i}` },
          generateSecretKey(),
        )
        const t0 = performance.now()
        await client.publish(event)
        latencies.push(performance.now() - t0)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  for (const client of connected) client.close()
  latencies.sort((a, b) => a - b)
  return { perSecond: events / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) }
}

const rows: string[] = []
const open = await relayWith(undefined)
const alone = await publishAll(open.url, () => [])
await open.stop()
rows.push(
  `| nostr-rs-relay alone | ${alone.perSecond.toFixed(0)} | ${alone.p50.toFixed(1)} / ${alone.p99.toFixed(1)} | – |`,
)

const admissionTimes: number[] = []
const admit = createStampAdmission({
  redeemer: createRemoteRedeemer({ adminUrl: mint.adminUrl, token: ADMIN_TOKEN }),
  mintUrl: mint.url,
  prices: PRICES,
})
const timed: typeof admit = async (event) => {
  const t0 = performance.now()
  const admission = await admit(event)
  admissionTimes.push(performance.now() - t0)
  if (!admission.admit) throw new Error(`refused: ${admission.reason}`)
  return admission
}
const server = await serveAdmission(timed, {})
const stamped = await relayWith(server.address)
const tokens = await stamps(events)
const paid = await publishAll(stamped.url, (i) => [['cashu', tokens[i] as string]])
await stamped.stop()
await server.close()
admissionTimes.sort((a, b) => a - b)
rows.push(
  `| stamp relay (1-sat stamp redeemed per event) | ${paid.perSecond.toFixed(0)} | ${paid.p50.toFixed(1)} / ${paid.p99.toFixed(1)} | ${percentile(admissionTimes, 0.5).toFixed(1)} / ${percentile(admissionTimes, 0.99).toFixed(1)} |`,
)
await mint.stop()

const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`
const table = `${machine}; ${events} kind-1 events from ${clients} nostr-tools clients at once.

| relay | events/s | publish p50 / p99, ms | admission p50 / p99, ms |
| --- | ---: | ---: | ---: |
${rows.join('\n')}`
console.log(table)
if (process.env.BENCH_WRITE === '1') writeBenchmarkSection('relay', 'pnpm bench:relay', table)
