/**
 * coco-core 1.0.0 (`@cashu/coco-core`, the engine of eNuts, on cashu-ts 3.7), driven through its
 * `Manager` as an app drives it: in-memory repositories, the mint added as trusted, each operation
 * prepared and then executed, P2PK keys from its keyring, and a restore into a new manager from the
 * seed alone. Its watchers run as in an app, following quotes and sent proofs over NUT-17
 * websockets; its mint-operation processor, which would redeem a paid quote by itself, is off, so
 * a top-up is redeemed here once the watcher has seen the quote paid.
 *
 * coco 1.0.0 mints and receives sat only ("Only 'sat' is currently supported"): the usd
 * configuration is not run, and the last test checks that coco still refuses it, so the lane
 * notices the release that lifts the limit.
 */
import { randomBytes } from 'node:crypto'
import { initializeCoco, type Manager, type MeltOperation, MemoryRepositories } from '@cashu/coco-core'
import { describe, expect, it } from 'vitest'
import { CONFIGS, startReadmeMint } from './readme-mint.ts'
import type { WalletDriver, WalletFactory } from './wallet-driver.ts'
import { walletFlow } from './wallet-flow.ts'

/** How long a quote may take to be paid: the lane's FakeWallet pays after 5 s. */
const PAID_WITHIN_MS = 30_000

/** A manager as an app keeps one, with the mint it uses added and trusted. */
async function openManager(mintUrl: string, seed: Uint8Array): Promise<Manager> {
  const manager = await initializeCoco({
    repo: new MemoryRepositories(),
    seedGetter: async () => seed,
    processors: { mintOperationProcessor: { disabled: true } },
  })
  await manager.mint.addMint(mintUrl, { trusted: true })
  return manager
}

/** What an app does when it goes to the background, and then lets the manager go. */
async function closeManager(manager: Manager): Promise<void> {
  await manager.pauseSubscriptions()
  manager.subscriptions.closeAll()
  await manager.dispose()
}

/** Resolves once coco's watcher has seen the quote paid (a NUT-17 notification or its polling). */
function quotePaid(manager: Manager, quoteId: () => string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`coco did not see quote ${quoteId()} paid in ${PAID_WITHIN_MS} ms`))
    }, PAID_WITHIN_MS)
    const off = manager.on('mint-op:quote-state-changed', ({ quoteId: quote, state }) => {
      if (quote !== quoteId() || state !== 'PAID') return
      clearTimeout(timer)
      off()
      resolve()
    })
  })
}

const coco: WalletFactory = async (mintUrl, unit) => {
  if (unit !== 'sat') throw new Error(`coco-core 1.0.0 supports the sat unit only, not ${unit}`)
  const open = (manager: Manager, seed: Uint8Array): WalletDriver => {
    const encode = async (operationId: string) => {
      const { token } = await manager.ops.send.execute(operationId)
      return manager.wallet.encodeToken(token)
    }
    return {
      info: async () => JSON.stringify(await manager.mint.getMintInfo(mintUrl)),
      async mint(amount) {
        // Listening before the quote exists: the watcher may see it paid before `prepare` returns.
        let quoteId: string | undefined
        const paid = quotePaid(manager, () => quoteId)
        const operation = await manager.ops.mint.prepare({ mintUrl, amount, method: 'bolt11' })
        quoteId = operation.quoteId
        await paid
        const done = await manager.ops.mint.execute(operation.id)
        if (done.state !== 'finalized') throw new Error(`mint ${done.state}: ${done.error ?? ''}`)
      },
      balance: async () => (await manager.wallet.balances.total({ mintUrls: [mintUrl] })).spendable,
      send: async (amount) => encode((await manager.ops.send.prepare({ mintUrl, amount })).id),
      receive: (token) => manager.wallet.receive(token),
      lockKey: async () => (await manager.keyring.generateKeyPair()).publicKeyHex,
      sendLocked: async (amount, pubkey) =>
        encode((await manager.ops.send.prepare({ mintUrl, amount, target: { type: 'p2pk', pubkey } })).id),
      async pay(invoice) {
        const prepared = await manager.ops.melt.prepare({
          mintUrl,
          method: 'bolt11',
          methodData: { invoice },
        })
        let melt: MeltOperation = await manager.ops.melt.execute(prepared.id)
        const deadline = Date.now() + PAID_WITHIN_MS
        while (melt.state === 'pending' && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 500))
          melt = await manager.ops.melt.refresh(melt.id)
        }
        if (melt.state !== 'finalized') throw new Error(`melt ${melt.state}: ${melt.error ?? ''}`)
      },
      async burn() {
        // A sent token stays in flight until the mint reports its proofs spent (NUT-07).
        for (const operation of await manager.ops.send.listInFlight())
          await manager.ops.send.refresh(operation.id)
      },
      async restore() {
        const restored = await openManager(mintUrl, seed)
        await restored.wallet.restore(mintUrl)
        return open(restored, seed)
      },
      close: () => closeManager(manager),
    }
  }
  const seed = randomBytes(64)
  return open(await openManager(mintUrl, seed), seed)
}

const sat = CONFIGS.filter((config) => config.unit === 'sat')
walletFlow('coco-core 1.0.0 (eNuts)', coco, { configs: sat })

describe('coco-core 1.0.0 (eNuts), units', () => {
  it('refuses to mint a unit other than sat, which is why its usd configuration is not run', async () => {
    const usd = CONFIGS.find((config) => config.unit === 'usd')
    if (!usd) throw new Error('the lane has no usd configuration')
    const mint = await startReadmeMint(usd)
    const manager = await openManager(mint.url, randomBytes(64))
    try {
      // The mint offers usd; coco's own check stops the quote (its types allow `'sat'` only).
      const keysets = (await (await fetch(`${mint.url}/v1/keysets`)).json()) as {
        keysets: { unit: string }[]
      }
      expect(keysets.keysets.map((keyset) => keyset.unit)).toContain('usd')
      const unit = 'usd' as 'sat'
      await expect(
        manager.ops.mint.prepare({ mintUrl: mint.url, amount: 10, unit, method: 'bolt11' }),
      ).rejects.toThrow(/Only 'sat' is currently supported/)
    } finally {
      await closeManager(manager)
      await mint.stop()
    }
  })
})
