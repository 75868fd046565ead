/**
 * The wallets lane's one flow, run by every wallet against a mint started the README's way, in each
 * configuration (plain sat, an input fee of 100 ppk, a usd unit): every operation a user does that
 * touches the mint. Steps run in order on the same wallets; a test is named
 * `<wallet> > <configuration> > <operation>`, which docs/compatibility.md is generated from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { externalInvoice } from '../../../../packages/storage/test/mint-fixture.ts'
import { CONFIGS, type MintConfig, type ReadmeMint, startReadmeMint } from './readme-mint.ts'
import type { WalletDriver, WalletFactory } from './wallet-driver.ts'

export const OPERATIONS = [
  'info',
  'mint 100 and 1337',
  'send and receive in the same wallet',
  'send and receive into a second wallet',
  'P2PK: lock to a key, only its owner unlocks',
  'melt an external invoice',
  'melt an external invoice that expired long ago',
  "melt the mint's own invoice",
  'check and burn spent tokens',
  'restore from the seed into a new wallet, exact balance',
] as const

export interface FlowOptions {
  configs?: readonly MintConfig[]
  /** Mint settings this wallet needs (e.g. v1 keyset ids for cashu-ts 2.x). */
  env?: Record<string, string>
}

/** 1 usd cent costs 10 sat in the usd configuration. */
const inUnit = (config: MintConfig, sat: number) => (config.unit === 'usd' ? Math.ceil(sat / 10) : sat)

export function walletFlow(wallet: string, factory: WalletFactory, options: FlowOptions = {}): void {
  describe.sequential(wallet, () => {
    for (const config of options.configs ?? CONFIGS) {
      describe.sequential(config.name, () => {
        let mint: ReadmeMint
        let alice: WalletDriver
        let bob: WalletDriver
        let carol: WalletDriver
        const opened: WalletDriver[] = []
        // Input fees (NUT-02) a wallet pays on a swap or melt: a few units at 100 ppk.
        const feeSlack = config.inputFeePpk > 0 ? 3 : 0
        const delta = async (work: () => Promise<unknown>, who: WalletDriver = alice) => {
          const before = await who.balance()
          await work()
          return before - (await who.balance())
        }

        beforeAll(async () => {
          mint = await startReadmeMint(config, options.env)
          alice = await factory(mint.url, config.unit, 'alice')
          bob = await factory(mint.url, config.unit, 'bob')
          carol = await factory(mint.url, config.unit, 'carol')
          opened.push(alice, bob, carol)
        })
        afterAll(async () => {
          await Promise.all(opened.map((wallet) => wallet.close?.()))
          await mint?.stop()
        })

        it(OPERATIONS[0], async () => {
          // The wallet shows the mint's name and version from /v1/info.
          expect(await alice.info()).toContain('cashu-mint')
        })

        it(OPERATIONS[1], async () => {
          await alice.mint(100)
          expect(await alice.balance()).toBe(100)
          await alice.mint(1337)
          expect(await alice.balance()).toBe(1437)
        })

        it(OPERATIONS[2], async () => {
          const spent = await delta(async () => alice.receive(await alice.send(10)))
          expect(spent).toBeGreaterThanOrEqual(0)
          expect(spent).toBeLessThanOrEqual(2 * feeSlack)
        })

        it(OPERATIONS[3], async () => {
          const token = await alice.send(50)
          await bob.receive(token)
          const received = await bob.balance()
          expect(received).toBeLessThanOrEqual(50)
          expect(received).toBeGreaterThanOrEqual(50 - feeSlack)
        })

        it(OPERATIONS[4], async () => {
          const token = await alice.sendLocked(20, await bob.lockKey())
          await expect(carol.receive(token)).rejects.toThrow()
          expect(await carol.balance()).toBe(0)
          const gained = -(await delta(() => bob.receive(token), bob))
          expect(gained).toBeLessThanOrEqual(20)
          expect(gained).toBeGreaterThanOrEqual(20 - feeSlack)
        })

        it(OPERATIONS[5], async () => {
          const amount = inUnit(config, 100)
          const spent = await delta(() => alice.pay(externalInvoice(100n)))
          // The amount, the Lightning fee (at most the reserve, max(1 %, 2)) and input fees.
          expect(spent).toBeGreaterThan(amount)
          expect(spent).toBeLessThanOrEqual(amount + 2 + feeSlack)
        })

        it(OPERATIONS[6], async () => {
          const amount = inUnit(config, 20)
          const longAgo = BigInt(Math.floor(Date.now() / 1000) - 3 * 365 * 86_400)
          const spent = await delta(() => alice.pay(externalInvoice(20n, longAgo)))
          expect(spent).toBeGreaterThan(amount)
          expect(spent).toBeLessThanOrEqual(amount + 2 + feeSlack)
        })

        it(OPERATIONS[7], async () => {
          // An invoice of this mint (another user's top-up): settled inside the mint, no Lightning
          // fee. Asked for just before paying, so the wallet pays it before the FakeWallet would.
          let quote = { quote: '', request: '' }
          const spent = await delta(async () => {
            const response = await fetch(`${mint.url}/v1/mint/quote/bolt11`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ amount: 30, unit: config.unit }),
            })
            quote = (await response.json()) as typeof quote
            await alice.pay(quote.request)
          })
          expect(spent).toBeGreaterThanOrEqual(30)
          expect(spent).toBeLessThanOrEqual(30 + feeSlack)
          const paid = (await (await fetch(`${mint.url}/v1/mint/quote/bolt11/${quote.quote}`)).json()) as {
            state: string
          }
          expect(paid.state).toBe('PAID')
        })

        it(OPERATIONS[8], async () => {
          const before = await alice.balance()
          await alice.burn()
          expect(await alice.balance()).toBe(before)
        })

        it(OPERATIONS[9], async () => {
          const restored = await alice.restore()
          opened.push(restored)
          expect(await restored.balance()).toBe(await alice.balance())
        })
      })
    }
  })
}
