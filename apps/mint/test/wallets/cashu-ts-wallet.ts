/**
 * cashu-ts 4.x, the library under Minibits and cashu.me, used as those wallets use it: a wallet
 * with a BIP-39 seed (deterministic secrets, NUT-13) keeping its proofs, DLEQ required on every
 * signature. It also shows the mint itself refusing an unsigned spend of locked ecash (10001),
 * which the CLIs refuse before asking the mint. One driver for every 4.x release the lane runs:
 * it takes the library module, so a release whose API drifted fails here rather than in a copy.
 */
import { randomBytes } from 'node:crypto'
import { bytesToHex } from '@cashu-mint/core/crypto'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { expect } from 'vitest'
import { waitFor } from '../../../../packages/storage/test/mint-fixture.ts'
import type { WalletDriver, WalletFactory } from './wallet-driver.ts'

/** What the driver reads of a proof and a melt quote; each release's own types have the rest. */
interface ProofShape {
  amount: { toBigInt(): bigint }
}
interface MeltQuoteShape {
  amount: { toBigInt(): bigint }
  fee_reserve: { toBigInt(): bigint }
}
interface Split<P> {
  keep: P[]
  send: P[]
}

/**
 * What the driver uses of a cashu-ts 4 release (`P` its proof type, `Q` its melt quote), written
 * out rather than taken from one release's declarations: each release declares its own classes with
 * private members, which TypeScript never relates across releases even where the API is the same.
 */
export interface CashuTsLibrary<P extends ProofShape, Q extends MeltQuoteShape> {
  Wallet: new (
    mintUrl: string,
    options: { unit: string; bip39seed: Uint8Array; requireSigDleq?: boolean },
  ) => CashuTsWallet<P, Q>
  getEncodedToken(token: { mint: string; unit: string; proofs: P[] }): string
  signP2PKProofs(proofs: P[], privateKey: string): P[]
}

interface CashuTsWallet<P, Q> {
  loadMint(): Promise<void>
  getMintInfo(): unknown
  createMintQuoteBolt11(amount: number): Promise<{ quote: string }>
  checkMintQuoteBolt11(quote: string): Promise<{ state: string }>
  mintProofsBolt11(amount: number, quote: string): Promise<P[]>
  send(amount: number, proofs: P[], config: { includeFees: boolean }): Promise<Split<P>>
  receive(token: string, config?: { privkey?: string[] }): Promise<P[]>
  ops: {
    send(
      amount: number,
      proofs: P[],
    ): { asP2PK(lock: { pubkey: string }): { includeFees(on: boolean): { run(): Promise<Split<P>> } } }
  }
  createMeltQuoteBolt11(invoice: string): Promise<Q>
  meltProofsBolt11(quote: Q, proofs: P[]): Promise<{ quote: { state: string }; change: P[] }>
  checkProofsStates(proofs: P[]): Promise<{ state: string }[]>
  batchRestore(
    gapLimit?: number,
    batchSize?: number,
    counter?: number,
    keysetId?: string,
  ): Promise<{ proofs: P[] }>
  keyChain: {
    getKeysets(): { id: string; unit: string; hasKeys: boolean }[]
    ensureKeysetKeys(id: string): Promise<unknown>
  }
}

/** The proofs the mint still reports unspent (NUT-07), asked the way cashu-ts 2 and 4 both ask. */
export async function unspent<P>(
  wallet: { checkProofsStates(proofs: P[]): Promise<{ state: string }[]> },
  proofs: P[],
): Promise<P[]> {
  const states = await wallet.checkProofsStates(proofs)
  return proofs.filter((_, i) => states[i]?.state === 'UNSPENT')
}

/** Fetches the keys of the unit's keysets the wallet has none of (retired ones: loadMint fetches the active). */
async function withAllKeys(wallet: { keyChain: CashuTsWallet<unknown, unknown>['keyChain'] }): Promise<void> {
  for (const keyset of wallet.keyChain.getKeysets())
    if (!keyset.hasKeys) await wallet.keyChain.ensureKeysetKeys(keyset.id)
}

const sum = (proofs: readonly ProofShape[]) => proofs.reduce((a, p) => a + Number(p.amount.toBigInt()), 0)

/** The wallets of one cashu-ts release, given its module. */
export const cashuTsWallets =
  <P extends ProofShape, Q extends MeltQuoteShape>({
    Wallet,
    getEncodedToken,
    signP2PKProofs,
  }: CashuTsLibrary<P, Q>): WalletFactory =>
  async (mintUrl, unit) => {
    const open = async (bip39seed: Uint8Array, proofs: P[]): Promise<WalletDriver> => {
      const connect = async () => {
        const connected = new Wallet(mintUrl, { unit, bip39seed, requireSigDleq: true })
        await connected.loadMint()
        return connected
      }
      let wallet = await connect()
      const keys = new Map<string, string>()
      const token = (send: P[]) => getEncodedToken({ mint: mintUrl, unit, proofs: send })
      return {
        info: async () => JSON.stringify(wallet.getMintInfo()),
        // A 4.x Wallet keeps the keyset it started with, even through loadMint(true): after a
        // rotation, apps make a new one.
        async refresh() {
          wallet = await connect()
        },
        async mint(amount) {
          const quote = await wallet.createMintQuoteBolt11(amount)
          await waitFor(async () => (await wallet.checkMintQuoteBolt11(quote.quote)).state === 'PAID', 30_000)
          proofs.push(...(await wallet.mintProofsBolt11(amount, quote.quote)))
        },
        balance: async () => sum(proofs),
        async send(amount) {
          const { keep, send } = await wallet.send(amount, proofs.splice(0), { includeFees: true })
          proofs.push(...keep)
          return token(send)
        },
        async receive(encoded) {
          // A token may be of a keyset the mint has retired, whose keys loadMint does not fetch.
          await withAllKeys(wallet)
          const privkey = [...keys.values()]
          proofs.push(...(await wallet.receive(encoded, privkey.length ? { privkey } : {})))
        },
        async lockKey() {
          const privkey = randomBytes(32)
          const pubkey = bytesToHex(secp256k1.getPublicKey(privkey, true))
          keys.set(pubkey, bytesToHex(privkey))
          return pubkey
        },
        async sendLocked(amount, pubkey) {
          const { keep, send } = await wallet.ops
            .send(amount, proofs.splice(0))
            .asP2PK({ pubkey })
            .includeFees(true)
            .run()
          proofs.push(...keep)
          // The mint itself refuses the locked proofs without their owner's signature (NUT-11: 10001)…
          const stranger = signP2PKProofs(send, bytesToHex(randomBytes(32)))
          await expect(wallet.receive(token(stranger))).rejects.toMatchObject({ code: 10001 })
          return token(send)
        },
        async pay(invoice) {
          const quote = await wallet.createMeltQuoteBolt11(invoice)
          const needed = quote.amount.toBigInt() + quote.fee_reserve.toBigInt()
          const { keep, send } = await wallet.send(Number(needed), proofs.splice(0), { includeFees: true })
          proofs.push(...keep)
          const result = await wallet.meltProofsBolt11(quote, send)
          if (result.quote.state !== 'PAID') throw new Error(`melt ${result.quote.state}`)
          proofs.push(...result.change)
        },
        async burn() {
          proofs.splice(0, proofs.length, ...(await unspent(wallet, proofs)))
        },
        async restore() {
          const restorer = new Wallet(mintUrl, { unit, bip39seed })
          await restorer.loadMint()
          // Each keyset of the unit has its own counters (NUT-13): a mint that rotated has ecash in several.
          await withAllKeys(restorer)
          const restored: P[] = []
          for (const keyset of restorer.keyChain.getKeysets().filter((k) => k.unit === unit))
            restored.push(...(await restorer.batchRestore(300, 300, 0, keyset.id)).proofs)
          return open(bip39seed, await unspent(restorer, restored))
        },
      }
    }
    return open(randomBytes(64), [])
  }
