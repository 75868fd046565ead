/**
 * Taking over a running mint: a Nutshell 0.21 mint and a cdk-mintd 0.18.3 mint (each with its
 * FakeWallet, on SQLite) are used by wallets no one here wrote, the old mint is stopped,
 * `cashu-mint import` takes its database over, and this mint starts on the same URL. The same wallets
 * then spend what they held, are refused what was spent, restore their exact balances from their
 * seeds, and every old proof's state is what the old mint said; the ecash outstanding is the same,
 * and the melt the old mint left in flight is settled by this mint's backend.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import * as cashuTs from '@cashu/cashu-ts'
import { bytesToHex, compressPoint, hashSecretToCurve, selectCurveBackend } from '@cashu-mint/core/crypto'
import { encodeBolt11 } from '@cashu-mint/core/testing'
import { decodeToken } from '@cashu-mint/core/token'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { externalInvoice } from '../../../../packages/storage/test/mint-fixture.ts'
import { runCashuMint } from '../cashu-mint-cli.ts'
import { freePort } from '../free-port.ts'
import { startCdkMintd } from '../peers/cdk-mintd.ts'
import { startNutshellMint } from '../peers/nutshell-mint.ts'
import type { PeerProcess } from '../peers/peer-process.ts'
import { type MintProcess, startMintProcess } from '../regtest/mint-process.ts'
import { until } from '../regtest/regtest-network.ts'
import { cashuTsWallets } from './cashu-ts-wallet.ts'
import { cdkWallet } from './cdk-wallet.ts'
import { nutshellWallet } from './nutshell-wallet.ts'
import type { WalletDriver, WalletFactory } from './wallet-driver.ts'

const cashuTsWallet = cashuTsWallets<cashuTs.Proof, cashuTs.MeltQuoteBolt11Response>(cashuTs)

/** An old mint as a test drives it: started, restarted with other settings, stopped for good. */
interface OldMint {
  /** Starts it on `port` with this input fee; `pendingMelts` makes its FakeWallet leave melts in flight. */
  start(options: { inputFeePpk: number; pendingMelts?: boolean }): Promise<PeerProcess>
  /** A new active sat keyset with this fee, the mint running afterwards. */
  rotate(running: PeerProcess, inputFeePpk: number): Promise<PeerProcess>
  /** An invoice its FakeWallet leaves in flight when melted. */
  pendingInvoice(amountSat: bigint): string
  /** Its SQLite file, its `--from` name, and its secret as `cashu-mint init --seed-from` takes it. */
  sqlite: string
  from: 'nutshell' | 'cdk'
  seedFile: string
  mnemonic: boolean
  /** The Ys of the proofs its database holds (spent and reserved). */
  storedYs(): string[]
}

const curve = selectCurveBackend('noble')
const ysOfToken = (token: string): string[] =>
  decodeToken(token).proofs.map((proof) => bytesToHex(compressPoint(hashSecretToCurve(curve, proof.secret))))

async function checkstate(url: string, ys: string[]): Promise<unknown[]> {
  const response = await fetch(`${url}/v1/checkstate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ Ys: ys }),
  })
  expect(response.status).toBe(200)
  return ((await response.json()) as { states: unknown[] }).states
}

function takeOverFlow(name: string, old: OldMint, walletA: [string, WalletFactory], port: number): void {
  describe.sequential(name, () => {
    const url = `http://127.0.0.1:${port}`
    let running: PeerProcess | undefined
    let mint: MintProcess | undefined
    let env: Record<string, string>
    let alice: WalletDriver
    let bob: WalletDriver
    const opened: WalletDriver[] = []
    const held: string[] = []
    let spent = ''
    let ys: string[] = []
    let statesBefore: unknown[] = []
    let outstandingBefore = 0n

    beforeAll(async () => {
      env = {
        CASHU_MINT_DATA_DIR: join(await mkdtemp(join(tmpdir(), `take-over-${old.from}-`)), 'data'),
        CASHU_MINT_PORT: String(port),
        CASHU_MINT_ADMIN_PORT: String(await freePort()),
        CASHU_MINT_INPUT_FEE_PPK: '0',
        CASHU_MINT_FAKE_DELAY_MS: '20',
        // Long enough that the imported melt is still in flight while the wallets are checked.
        CASHU_MINT_FAILED_PAYMENT_GRACE_SECONDS: '600',
      }
      running = await old.start({ inputFeePpk: 100 })
      alice = await walletA[1](url, 'sat', `alice-${old.from}`)
      bob = await cashuTsWallet(url, 'sat', `bob-${old.from}`)
      opened.push(alice, bob)
    })
    afterAll(async () => {
      await Promise.all(opened.map((wallet) => wallet.close?.()))
      await running?.kill()
      await mint?.kill('SIGTERM')
    })

    it(`the old mint is used by ${walletA[0]} and cashu-ts 4.8: tokens held and spent, a rotation, a melt, one left in flight`, async () => {
      await alice.mint(1000)
      await bob.mint(600)
      // Spent at the old mint: bob takes alice's token; the token is kept to be tried again.
      spent = await alice.send(50)
      await bob.receive(spent)
      held.push(await alice.send(100))
      running = await old.rotate(running as PeerProcess, 0)
      const { keysets } = (await (await fetch(`${url}/v1/keysets`)).json()) as {
        keysets: { unit: string; active: boolean; input_fee_ppk: number }[]
      }
      const sat = keysets.filter((k) => k.unit === 'sat')
      expect(sat).toHaveLength(2)
      expect(sat).toContainEqual(expect.objectContaining({ active: true, input_fee_ppk: 0 }))
      await Promise.all([alice.refresh?.(), bob.refresh?.()])
      await alice.mint(200)
      held.push(await bob.send(30))
      await bob.pay(externalInvoice(100n))
      // The next melt stays in flight: the old mint's FakeWallet neither pays nor fails it.
      await running.kill()
      running = await old.start({ inputFeePpk: 0, pendingMelts: true })
      await expect(bob.pay(old.pendingInvoice(64n))).rejects.toThrow(/pending/i)
      await running.kill()
      running = undefined
      // The old mint stored the spent token's proofs; the held ones are unspent, so not among them.
      const stored = old.storedYs()
      expect(stored).toEqual(expect.arrayContaining(ysOfToken(spent)))
      ys = [...new Set([...stored, ...held.flatMap(ysOfToken), ...ysOfToken(spent)])]
      expect(ys.length).toBe(stored.length + held.flatMap(ysOfToken).length)
    })

    it('with the old mint stopped, a dry run checks everything, the import takes it over, and this mint owes what it owed', async () => {
      running = await old.start({ inputFeePpk: 0, pendingMelts: true })
      statesBefore = await checkstate(url, ys)
      // The old mint still running: the import refuses, naming it.
      const init = await runCashuMint(
        ['init', '--seed-from', old.seedFile, ...(old.mnemonic ? ['--mnemonic'] : [])],
        env,
      )
      expect(init.code, init.stderr).toBe(0)
      const busy = await runCashuMint(['import', '--from', old.from, '--source', old.sqlite], env)
      expect(busy).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('the old mint is still running'),
      })
      await running.kill()
      running = undefined
      const dry = await runCashuMint(
        ['import', '--from', old.from, '--source', old.sqlite, '--dry-run', '--json'],
        env,
      )
      expect(dry.code, dry.stderr).toBe(0)
      const report = JSON.parse(dry.stdout) as {
        keysets: { outstandingBefore: number; outstandingAfter: number }[]
        pendingMelts: number
      }
      expect(report.pendingMelts).toBe(1)
      for (const keyset of report.keysets) expect(keyset.outstandingAfter).toBe(keyset.outstandingBefore)
      outstandingBefore = report.keysets.reduce((sum, k) => sum + BigInt(k.outstandingBefore), 0n)
      expect(outstandingBefore).toBeGreaterThan(0n)
      const imported = await runCashuMint(['import', '--from', old.from, '--source', old.sqlite], env)
      expect(imported.code, imported.stderr).toBe(0)
      expect(imported.stdout).toContain('imported: ')
      const again = await runCashuMint(['import', '--from', old.from, '--source', old.sqlite], env)
      expect(again.stdout).toContain('already imported')
      mint = await startMintProcess(env)
      // What the old mint owed, this one owes: signed minus spent, reserved proofs still owed.
      const balance = await runCashuMint(['balance', '--json'], env)
      const units = JSON.parse(balance.stdout).units as Record<string, { outstanding: number }>
      expect(BigInt(units.sat?.outstanding ?? -1)).toBe(outstandingBefore)
    })

    it('on the same URL, the held tokens are accepted and a spent one is refused (11001)', async () => {
      await bob.receive(held[0] as string)
      await alice.receive(held[1] as string)
      await expect(bob.receive(spent)).rejects.toMatchObject({ code: 11001 })
      await expect(alice.receive(spent)).rejects.toThrow()
    })

    it('checkstate of every old proof answers as the old mint did', async () => {
      const after = await checkstate(url, ys)
      // The held tokens were spent since, here; every other proof is as the old mint said.
      const heldYs = new Set(held.flatMap(ysOfToken))
      ys.forEach((y, i) => {
        if (heldYs.has(y)) expect(after[i]).toMatchObject({ Y: y, state: 'SPENT' })
        else expect(after[i]).toEqual(statesBefore[i])
      })
    })

    it('wallets restored from their seeds alone find their exact balances', async () => {
      for (const wallet of [alice, bob]) {
        const restored = await wallet.restore()
        opened.push(restored)
        expect(await restored.balance()).toBe(await wallet.balance())
      }
    })

    it('the melt the old mint left in flight stays pending, then this mint’s backend settles it', async () => {
      const pending = await until('the imported melt among the quotes', async () => {
        const list = await runCashuMint(['quotes', 'list', '--kind', 'melt', '--json'], env)
        const quotes = JSON.parse(list.stdout) as { id: string; state: string }[]
        return quotes.find((q) => q.state === 'PENDING')
      })
      expect(pending).toBeDefined()
      // This mint's FakeWallet never made that payment: once the grace is over, it is released.
      await mint?.kill('SIGTERM')
      mint = await startMintProcess({ ...env, CASHU_MINT_FAILED_PAYMENT_GRACE_SECONDS: '1' })
      const quote = await until('the imported melt to be released', async () => {
        const response = await fetch(`${url}/v1/melt/quote/bolt11/${pending.id}`)
        const body = (await response.json()) as { state: string }
        return body.state === 'UNPAID' ? body : undefined
      })
      expect(quote.state).toBe('UNPAID')
    })
  })
}

// Nutshell: its seed is MINT_PRIVATE_KEY, text.
const nutshellPort = await freePort()
const nutshellDir = await mkdtemp(join(tmpdir(), 'old-nutshell-'))
const nutshellKey = `take-over ${bytesToHex(randomBytes(16))}`
await writeFile(join(nutshellDir, 'private-key'), nutshellKey, { mode: 0o600 })
let nutshellPath = "m/0'/0'/0'"

takeOverFlow(
  'taking over a Nutshell 0.21 mint (SQLite)',
  {
    start: ({ inputFeePpk, pendingMelts }) =>
      startNutshellMint({
        dir: nutshellDir,
        port: nutshellPort,
        privateKey: nutshellKey,
        inputFeePpk,
        env: {
          MINT_DERIVATION_PATH: nutshellPath,
          ...(pendingMelts
            ? { FAKEWALLET_PAY_INVOICE_STATE: 'PENDING', FAKEWALLET_PAYMENT_STATE: 'PENDING' }
            : {}),
        },
      }),
    // A new derivation path: Nutshell adds the keyset and leaves the old one active too. (Its
    // management RPC's rotation gives the new keyset final_expiry 0, which cashu-ts takes for
    // expired, leaving its wallets no keyset to use: import.test.ts takes such a keyset over.)
    async rotate(running, inputFeePpk) {
      await running.kill()
      nutshellPath = "m/0'/0'/1'"
      return startNutshellMint({
        dir: nutshellDir,
        port: nutshellPort,
        privateKey: nutshellKey,
        inputFeePpk,
        env: { MINT_DERIVATION_PATH: nutshellPath },
      })
    },
    pendingInvoice: (amount) => externalInvoice(amount),
    sqlite: join(nutshellDir, 'data', 'mint.sqlite3'),
    from: 'nutshell',
    seedFile: join(nutshellDir, 'private-key'),
    mnemonic: false,
    storedYs() {
      const db = new DatabaseSync(join(nutshellDir, 'data', 'mint.sqlite3'), { readOnly: true })
      const rows = db.prepare('select y from proofs_used union select y from proofs_pending').all()
      db.close()
      return rows.map((row) => String(row.y))
    },
  },
  ['Nutshell 0.21', nutshellWallet],
  nutshellPort,
)

// cdk-mintd: its seed is a BIP-39 mnemonic.
const cdkPort = await freePort()
const cdkDir = await mkdtemp(join(tmpdir(), 'old-cdk-'))
await writeFile(
  join(cdkDir, 'mnemonic'),
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  { mode: 0o600 },
)
let cdkStarted = false
const cdkOptions = (inputFeePpk: number) => ({
  workDir: cdkDir,
  port: cdkPort,
  secret: { mnemonic: join(cdkDir, 'mnemonic') },
  inputFeePpk,
})

takeOverFlow(
  'taking over a cdk-mintd 0.18.3 mint (SQLite)',
  {
    async start({ inputFeePpk }) {
      const running = await startCdkMintd(cdkOptions(inputFeePpk), cdkStarted ? 'apply' : 'init')
      cdkStarted = true
      return running
    },
    async rotate(running, inputFeePpk) {
      // cdk-mintd rotates a unit whose active keyset's fee differs from the configured one, at start.
      await running.kill()
      return startCdkMintd(cdkOptions(inputFeePpk), 'apply')
    },
    // Its FakeWallet reads what to do from the invoice's description.
    pendingInvoice: (amount) =>
      encodeBolt11({
        network: 'bitcoin',
        amountMsat: amount * 1000n,
        timestamp: BigInt(Math.floor(Date.now() / 1000)),
        expirySeconds: 3600n,
        paymentHash: bytesToHex(randomBytes(32)),
        paymentSecret: bytesToHex(randomBytes(32)),
        description: JSON.stringify({
          pay_invoice_state: 'PENDING',
          check_payment_state: 'PENDING',
          pay_err: false,
          check_err: false,
        }),
        nodeKey: Uint8Array.from(randomBytes(32)),
      }),
    sqlite: join(cdkDir, 'cdk-mintd.sqlite'),
    from: 'cdk',
    seedFile: join(cdkDir, 'mnemonic'),
    mnemonic: true,
    storedYs() {
      const db = new DatabaseSync(join(cdkDir, 'cdk-mintd.sqlite'), { readOnly: true })
      const rows = db.prepare('select y from proof').all()
      db.close()
      return rows.map((row) => bytesToHex(row.y as Uint8Array))
    },
  },
  ['CDK 0.18 (cdk-cli)', cdkWallet],
  cdkPort,
)
