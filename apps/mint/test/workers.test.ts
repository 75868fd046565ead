/**
 * `pnpm start` with PostgreSQL and two workers: both serve requests on one port, a metrics scrape
 * counts what both served, and SIGTERM lets them finish and exits cleanly. PGlite with several workers is refused with a clear message.
 */
import { spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { createPostgresDatabase } from '../../../packages/storage/test/databases.ts'
import { freePort } from './free-port.ts'
import { SOURCES } from './regtest/mint-process.ts'

const main = join(import.meta.dirname, '../src/main.ts')
const TOKEN = 'a-test-admin-token-that-is-long-enough'
const drops: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const drop of drops) await drop()
})

it('serves from every worker and stops cleanly on SIGTERM', async () => {
  const database = await createPostgresDatabase()
  drops.push(database.drop)
  const port = await freePort()
  const adminPort = await freePort()
  const child = spawn(process.execPath, [SOURCES, main], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      CASHU_MINT_DATA_DIR: await mkdtemp(join(tmpdir(), 'mint-workers-')),
      CASHU_MINT_PORT: String(port),
      CASHU_MINT_ADMIN_PORT: String(adminPort),
      CASHU_MINT_ADMIN_TOKEN: TOKEN,
      CASHU_MINT_WORKERS: '2',
      // Access control on: the keysets prepared before the workers fork include the auth keyset.
      CASHU_MINT_AUTH_OPENID_DISCOVERY: 'http://127.0.0.1:9/.well-known/openid-configuration',
    },
  })
  const lines: Record<string, unknown>[] = []
  child.stdout.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line))
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  const deadline = Date.now() + 30_000
  while (lines.filter((l) => l.msg === 'mint listening').length < 2 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  for (let i = 0; i < 20; i++) expect((await fetch(`http://127.0.0.1:${port}/v1/keysets`)).status).toBe(200)
  // NUT-22: one auth keyset, with the amount 1 only, however the database was prepared.
  const auth = (await (await fetch(`http://127.0.0.1:${port}/v1/auth/blind/keys`)).json()) as {
    keysets: { unit: string; keys: Record<string, string> }[]
  }
  expect(auth.keysets.map((k) => [k.unit, Object.keys(k.keys)])).toEqual([['auth', ['1']]])
  const servedBy = new Set(lines.filter((l) => l.msg === 'request').map((l) => l.pid))
  expect(servedBy.size).toBe(2)
  // Whichever worker takes the scrape, it counts the requests both workers served.
  for (let i = 0; i < 4; i++) {
    const scrape = await fetch(`http://127.0.0.1:${adminPort}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    expect(await scrape.text()).toMatch(
      /cashu_mint_http_requests_total\{listener="public",method="GET",route="\/v1\/keysets",status="200"\} 20\n/,
    )
  }
  child.kill('SIGTERM')
  expect(await exited).toBe(0)
})

it('refuses several workers on PGlite', async () => {
  const child = spawn(process.execPath, [SOURCES, main], {
    env: {
      ...process.env,
      CASHU_MINT_DATA_DIR: await mkdtemp(join(tmpdir(), 'mint-w-')),
      CASHU_MINT_WORKERS: '2',
      // Access control on: the keysets prepared before the workers fork include the auth keyset.
      CASHU_MINT_AUTH_OPENID_DISCOVERY: 'http://127.0.0.1:9/.well-known/openid-configuration',
    },
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(2)
  expect(stderr).toMatch(/needs PostgreSQL/)
})
