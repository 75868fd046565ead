/**
 * The service as the tests run it: any free ports, a fresh data folder, PGlite in memory and a
 * quick FakeWallet unless `env` says otherwise, logs off.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { OutputData, type Proof, type Wallet } from '@cashu/cashu-ts'
import { waitFor } from '../../../packages/storage/test/mint-fixture.ts'
import { loadConfig } from '../src/config/config.ts'
import { startServer } from '../src/server.ts'

export type TestServer = Awaited<ReturnType<typeof startServer>>

/** Tops a cashu-ts wallet up by `amount` through a mint quote, which the FakeWallet pays itself. */
export async function topUp(wallet: Wallet, amount: number): Promise<{ quote: string; proofs: Proof[] }> {
  const { quote } = await wallet.createMintQuoteBolt11(amount)
  await waitFor(async () => (await wallet.checkMintQuoteBolt11(quote)).state === 'PAID')
  return { quote, proofs: await wallet.mintProofsBolt11(amount, quote) }
}

/** A swap of `proofs` into new outputs of the same amount (no fee), as a raw request body. */
export function swapRequest(wallet: Wallet, proofs: readonly Proof[]) {
  const amount = proofs.reduce((sum, p) => sum + Number(p.amount), 0)
  const outputs = OutputData.createRandomData(amount, wallet.keyChain.getCheapestKeyset())
  return {
    inputs: proofs.map(({ id, amount: value, secret, C }) => ({ id, amount: Number(value), secret, C })),
    outputs: outputs.map(({ blindedMessage: { id, amount: value, B_ } }) => ({
      id,
      amount: Number(value),
      B_,
    })),
  }
}

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
