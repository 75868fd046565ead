import { X509Certificate } from 'node:crypto'
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getEncodedToken, Wallet } from '@cashu/cashu-ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCashuMint } from './cashu-mint-cli.ts'
import { freePort } from './free-port.ts'
import { type MintProcess, startMintProcess } from './regtest/mint-process.ts'

let dataDir: string
let env: Record<string, string>
let mint: MintProcess

const run = (args: string[], extra: Record<string, string> = {}) => runCashuMint(args, { ...env, ...extra })
const json = async (args: string[], extra: Record<string, string> = {}) => {
  const result = await run([...args, '--json'], extra)
  expect(result.code, result.stderr + result.stdout).toBe(0)
  return JSON.parse(result.stdout)
}

beforeAll(async () => {
  dataDir = join(await mkdtemp(join(tmpdir(), 'cli-')), 'data')
  env = {
    CASHU_MINT_DATA_DIR: dataDir,
    CASHU_MINT_PORT: String(await freePort()),
    CASHU_MINT_ADMIN_PORT: String(await freePort()),
    CASHU_MINT_FAKE_DELAY_MS: '20',
  }
})
afterAll(async () => {
  await mint?.kill('SIGTERM')
})

// Each command is a new Node process; a test runs up to a dozen of them.
describe('cashu-mint', { timeout: 180_000 }, () => {
  it('explains itself and refuses what it does not know', async () => {
    expect((await run(['--help'])).stdout).toContain('restore <folder>')
    expect((await run(['issue', '--help'])).stdout).toContain('--reference TEXT')
    expect(await run(['frobnicate'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "frobnicate"'),
    })
    expect((await run(['balance'])).stderr).toContain('cashu-mint init makes one')
    // The help is made from the command table: every command listed has its own, with its options.
    const overview = (await run(['--help'])).stdout
    const names = [...overview.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1])
    expect(names).toEqual(
      expect.arrayContaining(['init', 'keysets', 'issue', 'balance', 'backup', 'restore']),
    )
    for (const name of names) {
      const help = await json([name as string, '--help'])
      expect(help.help, name).toMatch(new RegExp(`^cashu-mint ${name}`))
    }
    expect((await run(['keysets', '--help'])).stdout).toContain('--expiry UNIX_SECONDS')
    expect(await run(['keysets', 'list', '--amount', '3'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--amount is not an option of keysets'),
    })
  })

  it('makes certificates for mutual TLS, each key only with its owner, and never overwrites them', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'certs-')), 'tls')
    const made = await json(['certs', '--out', out, '--host', '127.0.0.1', '--host', 'processor.internal'])
    expect(await readdir(made.server)).toEqual(['ca.pem', 'server.key', 'server.pem'])
    expect(await readdir(made.client)).toEqual(['ca.pem', 'client.key', 'client.pem'])
    expect(await readdir(made.ca)).toEqual(['ca.key', 'ca.pem'])
    for (const key of [
      join(made.server, 'server.key'),
      join(made.client, 'client.key'),
      join(made.ca, 'ca.key'),
    ])
      expect((await stat(key)).mode & 0o777).toBe(0o600)
    const ca = new X509Certificate(await readFile(join(made.client, 'ca.pem')))
    const server = new X509Certificate(await readFile(join(made.server, 'server.pem')))
    const client = new X509Certificate(await readFile(join(made.client, 'client.pem')))
    expect(server.verify(ca.publicKey) && client.verify(ca.publicKey)).toBe(true)
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(server.checkHost('processor.internal')).toBe('processor.internal')
    expect(server.checkHost('elsewhere.internal')).toBeUndefined()
    expect(await run(['certs', '--out', out, '--host', '127.0.0.1'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('already holds certificates'),
    })
    expect((await run(['certs', '--out', out])).stderr).toContain('--host is required')
  })

  it('initialises a data folder with a private seed, an admin token and a config file', async () => {
    const made = await json(['init', '--data-dir', dataDir])
    expect(made.seed_created).toBe(true)
    expect((await stat(made.seed)).mode & 0o777).toBe(0o600)
    expect((await stat(made.admin_token)).mode & 0o777).toBe(0o600)
    expect((await run(['init', '--data-dir', dataDir])).stdout).toContain('(kept)')
    mint = await startMintProcess(env)
    expect((await run(['balance'], { CASHU_MINT_ADMIN_PORT: String(await freePort()) })).stderr).toContain(
      'no mint answers',
    )
  })

  it('issues, sets info, switches melting, rotates keysets, reports the balance and lists quotes', async () => {
    const issued = await json(['issue', '--amount', '100', '--unit', 'sat', '--reference', 'voucher 9'])
    const wallet = new Wallet(mint.url, { unit: 'sat' })
    await wallet.loadMint()
    const proofs = await wallet.mintProofsBolt11(100, issued.quote)
    await wallet.send(40, proofs)
    expect((await run(['issue', '--amount', 'lots', '--unit', 'sat', '--reference', 'x'])).code).toBe(2)

    await json(['info', 'set', '--name', 'CLI mint', '--contact', 'email:ops@example.com', '--motd', 'hello'])
    await json(['melt', 'disable', '--unit', 'sat'])
    const info = (await (await fetch(`${mint.url}/v1/info`)).json()) as {
      nuts: Record<string, { methods: unknown[] }>
    }
    expect(info).toMatchObject({
      name: 'CLI mint',
      motd: 'hello',
      contact: [{ method: 'email', info: 'ops@example.com' }],
    })
    expect(info.nuts['5']?.methods).toEqual([])
    await json(['melt', 'enable', '--unit', 'sat'])

    const rotated = await json(['keysets', 'rotate', '--unit', 'sat', '--fee', '100'])
    expect(
      rotated.keysets.some(
        (k: { active: boolean; input_fee_ppk: number }) => k.active && k.input_fee_ppk === 100,
      ),
    ).toBe(true)
    expect((await run(['keysets', 'list'])).stdout).toMatch(/^id\s+unit\s+active/)

    const balance = await json(['balance'])
    expect(balance.units.sat.outstanding).toBe(100)
    expect((await run(['balance'])).stdout).toContain('pending melts 0')
    // The running totals the balance read agree with a recount of the rows; a recount adds nothing.
    expect(await json(['balance', 'check'])).toEqual({ agrees: true, keysets: [], fees: [] })
    expect((await run(['balance', 'check'])).stdout).toContain('agree with a recount')
    expect(await json(['balance', 'recount'])).toEqual({ corrected: { agrees: true, keysets: [], fees: [] } })
    expect(await run(['balance', 'tally'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('cashu-mint balance check|recount'),
    })
    const quotes = await json(['quotes', 'list'])
    expect(quotes[0].id).toBe(issued.quote)
    expect(await json(['quotes', 'show', issued.quote])).toMatchObject({ kind: 'mint', state: 'ISSUED' })
  })

  it('refunds a redeemed payment once, printing the token for the payer', async () => {
    const issued = await json(['issue', '--amount', '30', '--unit', 'sat', '--reference', 'to redeem'])
    const wallet = new Wallet(mint.url, { unit: 'sat' })
    await wallet.loadMint()
    const token = getEncodedToken({
      mint: mint.url,
      unit: 'sat',
      proofs: await wallet.mintProofsBolt11(30, issued.quote),
    })
    const adminToken = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim()
    const redeemed = await fetch(`http://127.0.0.1:${env.CASHU_MINT_ADMIN_PORT}/v1/admin/redeem`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ token, amount: 12, unit: 'sat' }),
    })
    const { receipt } = (await redeemed.json()) as { receipt: { id: string } }
    const refunded = await json(['refund', receipt.id, '--reason', 'order 17 not shipped'])
    expect(refunded).toMatchObject({
      replayed: false,
      refund: { amount: 12, reason: 'order 17 not shipped' },
    })
    expect(
      (await wallet.receive(refunded.token)).reduce((a, p) => a + p.amount.toNumber(), 0),
    ).toBeGreaterThan(0)
    expect((await run(['refund', receipt.id])).stdout).toContain(`already refunded 12 sat`)
    expect((await run(['refund'])).code).toBe(2)
    expect((await run(['refund', 'no-such-receipt'])).code).toBe(1)
  })

  it('backs up the running mint and restores it into a new data folder', async () => {
    const wallet = new Wallet(mint.url, { unit: 'sat' })
    await wallet.loadMint()
    const issued = await json(['issue', '--amount', '64', '--unit', 'sat', '--reference', 'before backup'])
    const proofs = await wallet.mintProofsBolt11(64, issued.quote)
    const { keep, send } = await wallet.send(32, proofs, { includeFees: true })
    await wallet.receive(send)
    const keysets = await (await fetch(`${mint.url}/v1/keysets`)).json()

    const out = join(dataDir, '..', 'backup')
    const backup = await json(['backup', '--out', out])
    expect(backup.files).toEqual(['database.json', 'seed'])
    expect((await stat(join(out, 'seed'))).mode & 0o777).toBe(0o600)
    await mint.kill('SIGTERM')

    const restoredDir = join(dataDir, '..', 'restored')
    const restored = await json(['restore', out, '--data-dir', restoredDir])
    expect(restored.rows.keysets).toBeGreaterThan(0)
    expect((await run(['restore', out, '--data-dir', restoredDir])).stderr).toContain('not empty')
    env = { ...env, CASHU_MINT_DATA_DIR: restoredDir }
    mint = await startMintProcess(env)
    expect(await (await fetch(`${mint.url}/v1/keysets`)).json()).toEqual(keysets)
    const again = new Wallet(mint.url, { unit: 'sat' })
    await again.loadMint()
    const spent = await again.checkProofsStates(send)
    expect(spent.every((s) => s.state === 'SPENT')).toBe(true)
    // Unspent ecash from before the backup is still good.
    expect((await again.receive(keep)).length).toBeGreaterThan(0)
  })
})
