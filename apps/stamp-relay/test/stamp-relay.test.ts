/**
 * The stamp relay end to end: the real nostr-rs-relay 0.8.12 (scripts/nostr-rs-relay.sh) asking
 * this project's admission service over gRPC, which redeems stamps at a mint through its admin
 * listener; clients are nostr-tools. Stamped events get in, every other kind of stamp is refused
 * with its reason, and 1,000 stamped events from 20 clients at once: admitted events = redeemed
 * stamps = the revenue in the operator's balance report.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRemoteRedeemer } from '@cashu-mint/accept'
import { p2pkPublicKey } from '@cashu-mint/core/conditions'
import { selectCurveBackend } from '@cashu-mint/core/crypto'
import type { Proof } from '@cashu-mint/core/protocol'
import { blindOutputs, unblindProofs } from '@cashu-mint/core/testing'
import { encodeTokenV4 } from '@cashu-mint/core/token'
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'
import { Relay } from 'nostr-tools/relay'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../mint/test/free-port.ts'
import { listening, type PeerProcess, startPeer, tool } from '../../mint/test/peers/peer-process.ts'
import { startTestServer, type TestServer } from '../../mint/test/test-server.ts'
import { type AdmissionServer, serveAdmission } from '../src/admission-server.ts'
import { relayConfig } from '../src/relay-config.ts'
import { createStampAdmission, type StampPrices } from '../src/stamp-admission.ts'

const ADMIN_TOKEN = 'stamp-relay-admin-token-0123456789abcdef'
const PRICES: StampPrices = { unit: 'sat', default: 2n, kinds: { 0: 0n } }
const curve = selectCurveBackend('noble')
let mint: TestServer
let admission: AdmissionServer
let relay: PeerProcess
let relayUrl: string
let keysetId: string
const admitted: string[] = []

/** `count` proofs of `amount` sat each, minted at the test mint; `lockedTo` locks them to a key (NUT-11). */
async function proofsOf(amount: bigint, count: number, lockedTo?: string): Promise<Proof[]> {
  const proofs: Proof[] = []
  for (let done = 0; done < count; done += 500) {
    const amounts = Array.from({ length: Math.min(500, count - done) }, () => amount)
    const total = amounts.reduce((a, b) => a + b, 0n)
    const quote = await mint.mint.createMintQuote({ amount: total, unit: 'sat' })
    while ((await mint.mint.getMintQuote(quote.quote)).state !== 'PAID')
      await new Promise((resolve) => setTimeout(resolve, 20))
    const lock = (i: number) =>
      JSON.stringify(['P2PK', { nonce: `${Date.now()}${done + i}`.padStart(32, '0'), data: lockedTo }])
    const blinded = lockedTo
      ? blindOutputs(curve, keysetId, amounts, lock)
      : blindOutputs(curve, keysetId, amounts)
    const { signatures } = await mint.mint.mint({ quote: quote.quote, outputs: blinded.outputs })
    proofs.push(...unblindProofs(curve, mint.mint.keys(), blinded, signatures))
  }
  return proofs
}

const stampOf = (proofs: Proof[], mintUrl = mint.url, unit = 'sat') =>
  encodeTokenV4({ mint: mintUrl, unit, proofs })

const note = (content: string, tags: string[][] = [], kind = 1) =>
  finalizeEvent({ kind, created_at: Math.floor(Date.now() / 1000), tags, content }, generateSecretKey())

beforeAll(async () => {
  mint = await startTestServer({ CASHU_MINT_ADMIN_TOKEN: ADMIN_TOKEN })
  keysetId = mint.mint.keysets().keysets.find((k) => k.active && k.unit === 'sat')?.id as string
  const admit = createStampAdmission({
    redeemer: createRemoteRedeemer({ adminUrl: mint.adminUrl, token: ADMIN_TOKEN }),
    mintUrl: mint.url,
    prices: PRICES,
  })
  admission = await serveAdmission(admit, {
    onDecision: (event, decision) => {
      if (decision.admit && decision.amount > 0n) admitted.push(event.id)
    },
  })
  const dir = await mkdtemp(join(tmpdir(), 'stamp-relay-'))
  await mkdir(join(dir, 'data'))
  const port = await freePort()
  await writeFile(
    join(dir, 'config.toml'),
    relayConfig({
      host: '127.0.0.1',
      port,
      dataDir: join(dir, 'data'),
      admission: admission.address,
      name: 'stamp relay test',
      mintUrl: mint.url,
      prices: PRICES,
    }),
  )
  relay = await startPeer({
    name: 'nostr-rs-relay',
    command: tool('nostr-rs-relay.sh'),
    args: ['--config', join(dir, 'config.toml'), '--db', join(dir, 'data')],
    env: { RUST_LOG: 'warn' },
    ready: () => listening(port),
  })
  relayUrl = `ws://127.0.0.1:${port}`
})

afterAll(async () => {
  await relay?.kill()
  await admission?.close()
  await mint?.stop()
})

describe('a nostr-rs-relay that admits an event only with an ecash stamp', () => {
  it('states its fee in its NIP-11 document', async () => {
    const info = (await (
      await fetch(relayUrl.replace('ws', 'http'), { headers: { accept: 'application/nostr+json' } })
    ).json()) as { description: string }
    expect(info.description).toContain(
      `2 sat an event (kind 0: free), paid with an ecash stamp from ${mint.url}`,
    )
  })

  it('lets a stamped event in, once; the same event again is a duplicate, not a second payment', async () => {
    const client = await Relay.connect(relayUrl)
    const [two] = await proofsOf(2n, 1)
    const event = note('hello, paid for', [['cashu', stampOf([two as Proof])]])
    await expect(client.publish(event)).resolves.toBe('')
    await expect(client.publish(event)).resolves.toMatch(/^duplicate:/)
    const events = await new Promise<unknown[]>((resolve) => {
      const got: unknown[] = []
      const sub = client.subscribe([{ ids: [event.id] }], {
        onevent: (e) => got.push(e),
        oneose: () => {
          sub.close()
          resolve(got)
        },
      })
    })
    expect(events).toHaveLength(1)
    client.close()
  })

  it('refuses unstamped, underpaid, foreign-mint, wrong-unit and double-spent stamps, with their reasons', async () => {
    const client = await Relay.connect(relayUrl)
    const [one, two, three] = await proofsOf(2n, 3)
    const [small] = await proofsOf(1n, 1)
    const refused = (event: ReturnType<typeof note>) =>
      client.publish(event).then(
        () => 'admitted',
        (e: Error) => e.message,
      )
    expect(await refused(note('no stamp'))).toBe(
      `blocked: payment required: 2 sat (a ["cashu", token] tag with ecash from ${mint.url})`,
    )
    expect(await refused(note('too little', [['cashu', stampOf([small as Proof])]]))).toBe(
      'blocked: payment required: 2 sat (the stamp is worth less)',
    )
    expect(
      await refused(note('elsewhere', [['cashu', stampOf([one as Proof], 'https://other.example')]])),
    ).toBe(`blocked: stamp from another mint: stamps of ${mint.url} only`)
    expect(await refused(note('dollars', [['cashu', stampOf([two as Proof], mint.url, 'usd')]]))).toBe(
      'blocked: stamp in usd: the fee is in sat',
    )
    const stamp = stampOf([three as Proof])
    expect(await refused(note('first', [['cashu', stamp]]))).toBe('admitted')
    expect(await refused(note('second, same stamp', [['cashu', stamp]]))).toBe('blocked: token already spent')
    expect(await refused(note('free profile', [], 0))).toBe('admitted')
    // A stamp has no change: one worth more pays more.
    const before = (await balanceReport()).redeemed
    const [four] = await proofsOf(4n, 1)
    expect(await refused(note('generous', [['cashu', stampOf([four as Proof])]]))).toBe('admitted')
    expect((await balanceReport()).redeemed - before).toBe(4n)
    client.close()
  })

  it('takes a stamp locked to the relay’s key, which is worth nothing to anyone else', async () => {
    const relayKey = '3c'.repeat(32)
    const [locked, stolen] = await proofsOf(2n, 2, p2pkPublicKey(relayKey))
    const withKey = createStampAdmission({
      redeemer: createRemoteRedeemer({ adminUrl: mint.adminUrl, token: ADMIN_TOKEN }),
      mintUrl: mint.url,
      prices: PRICES,
      privateKey: relayKey,
    })
    const event = note('locked', [['cashu', stampOf([locked as Proof])]])
    await expect(withKey({ id: event.id, kind: 1, tags: event.tags })).resolves.toMatchObject({
      admit: true,
      amount: 2n,
    })
    // A relay without the key (the one running here) cannot spend it, nor can whoever copied it.
    const client = await Relay.connect(relayUrl)
    await expect(client.publish(note('copied', [['cashu', stampOf([stolen as Proof])]]))).rejects.toThrow(
      /blocked: invalid stamp: .*signature/i,
    )
    client.close()
  })

  it('takes 1,000 stamped events from 20 clients at once: admitted = redeemed = revenue, none lost, none twice', async () => {
    const before = (await balanceReport()).redeemed
    const admittedBefore = admitted.length
    const stamps = await proofsOf(2n, 1000)
    const clients = await Promise.all(Array.from({ length: 20 }, () => Relay.connect(relayUrl)))
    const results = await Promise.all(
      clients.map(async (client, c) => {
        const answers: string[] = []
        for (let i = 0; i < 50; i++) {
          const stamp = stampOf([stamps[c * 50 + i] as Proof])
          answers.push(await client.publish(note(`event ${c}/${i}`, [['cashu', stamp]])))
        }
        return answers
      }),
    )
    for (const client of clients) client.close()
    expect(results.flat()).toEqual(Array.from({ length: 1000 }, () => ''))
    const paid = admitted.slice(admittedBefore)
    expect(paid).toHaveLength(1000)
    expect(new Set(paid).size).toBe(1000)
    const after = await balanceReport()
    expect(after.redeemed - before).toBe(2000n)
  }, 180_000)
})

/** The operator's figures: what was redeemed as payment in sat over the last hour (the admin flows report). */
async function balanceReport(): Promise<{ redeemed: bigint }> {
  const response = await fetch(`${mint.adminUrl}/v1/admin/flows?hours=1`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  })
  const hours = (await response.json()) as { unit: string; redeemed: number }[]
  return {
    redeemed: hours.filter((h) => h.unit === 'sat').reduce((sum, h) => sum + BigInt(h.redeemed), 0n),
  }
}
