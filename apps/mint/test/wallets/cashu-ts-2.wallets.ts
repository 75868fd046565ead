/**
 * cashu-ts 2.9, the library under Nutstash and older wallets, which knows only v1 (`00`) keyset ids:
 * it runs against a mint with CASHU_MINT_V1_KEYSET_IDS on. Deterministic secrets (NUT-13) with the
 * explicit counters this version asks for.
 */
import { randomBytes } from 'node:crypto'
import { bytesToHex } from '@cashu-mint/core/crypto'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { CashuMint, CashuWallet, getEncodedToken, type Proof } from 'cashu-ts-v2'
import { waitFor } from '../../../../packages/storage/test/mint-fixture.ts'
import { unspent } from './cashu-ts-wallet.ts'
import type { WalletDriver, WalletFactory } from './wallet-driver.ts'
import { walletFlow } from './wallet-flow.ts'

const sum = (proofs: readonly Proof[]) => proofs.reduce((a, p) => a + p.amount, 0)

/** Counters are spent in generous steps: the restore's gap limit (300) spans any unused ones. */
const COUNTER_STEP = 64

const cashuTs2: WalletFactory = async (mintUrl, unit) => {
  const open = async (bip39seed: Uint8Array, proofs: Proof[]): Promise<WalletDriver> => {
    const wallet = new CashuWallet(new CashuMint(mintUrl), { unit, bip39seed })
    await wallet.loadMint()
    let next = 0
    const counter = () => {
      const at = next
      next += COUNTER_STEP
      return at
    }
    const keys: string[] = []
    const token = (send: Proof[]) => getEncodedToken({ mint: mintUrl, unit, proofs: send })
    return {
      info: async () => JSON.stringify(await wallet.getMintInfo()),
      async mint(amount) {
        const quote = await wallet.createMintQuote(amount)
        await waitFor(async () => (await wallet.checkMintQuote(quote.quote)).state === 'PAID', 30_000)
        proofs.push(...(await wallet.mintProofs(amount, quote.quote, { counter: counter() })))
      },
      balance: async () => sum(proofs),
      async send(amount) {
        const { keep, send } = await wallet.send(amount, proofs.splice(0), {
          includeFees: true,
          counter: counter(),
        })
        proofs.push(...keep)
        return token(send)
      },
      async receive(encoded) {
        const received = await wallet.receive(encoded, {
          counter: counter(),
          ...(keys.length ? { privkey: keys.at(-1) as string } : {}),
        })
        proofs.push(...received)
      },
      async lockKey() {
        const privkey = randomBytes(32)
        keys.push(bytesToHex(privkey))
        return bytesToHex(secp256k1.getPublicKey(privkey, true))
      },
      async sendLocked(amount, pubkey) {
        // The locked part has random secrets (a P2PK secret is not derived); the change is deterministic.
        const { keep, send } = await wallet.send(amount, proofs.splice(0), {
          includeFees: true,
          pubkey,
          counter: counter(),
        })
        proofs.push(...keep)
        return token(send)
      },
      async pay(invoice) {
        const quote = await wallet.createMeltQuote(invoice)
        const { keep, send } = await wallet.send(quote.amount + quote.fee_reserve, proofs.splice(0), {
          includeFees: true,
          counter: counter(),
        })
        proofs.push(...keep)
        const result = await wallet.meltProofs(quote, send, { counter: counter() })
        if (result.quote.state !== 'PAID') throw new Error(`melt ${result.quote.state}`)
        proofs.push(...result.change)
      },
      async burn() {
        proofs.splice(0, proofs.length, ...(await unspent(wallet, proofs)))
      },
      async restore() {
        const restorer = new CashuWallet(new CashuMint(mintUrl), { unit, bip39seed })
        await restorer.loadMint()
        const { proofs: restored } = await restorer.batchRestore()
        return open(bip39seed, await unspent(restorer, restored))
      },
    }
  }
  return open(randomBytes(64), [])
}

walletFlow('cashu-ts 2.9 (v1 keyset ids)', cashuTs2, { env: { CASHU_MINT_V1_KEYSET_IDS: 'true' } })
