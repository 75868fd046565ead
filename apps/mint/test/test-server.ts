/**
 * The service as the tests run it: any free ports, a fresh data folder, PGlite in memory and a
 * quick FakeWallet unless `env` says otherwise, logs off.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../src/config.ts'
import { startServer } from '../src/server.ts'

export type TestServer = Awaited<ReturnType<typeof startServer>>

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const config = loadConfig({
    CASHU_MINT_PORT: '0',
    CASHU_MINT_ADMIN_PORT: '0',
    CASHU_MINT_DATA_DIR: await mkdtemp(join(tmpdir(), 'mint-test-')),
    DATABASE_URL: 'memory://',
    CASHU_MINT_FAKE_DELAY_MS: '20',
    ...env,
  })
  return startServer({ ...config, CASHU_MINT_LOG_LEVEL: 'silent' })
}
