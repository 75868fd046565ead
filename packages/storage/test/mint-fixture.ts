/**
 * A real mint engine on a real database (PGlite or a fresh PostgreSQL database) with the
 * FakeWallet (or another Lightning backend), for the engine, concurrency, crash and adapter tests.
 */
import { randomBytes } from 'node:crypto'
import { bytesToHex, hashSecretToCurve, selectCurveBackend } from '@cashu-mint/core/crypto'
import {
  type MintOptions,
  type MintSettings,
  type MintStore,
  type PaymentBackend,
  startMint,
} from '@cashu-mint/core/mint'
import type { Proof } from '@cashu-mint/core/protocol'
import { type BlindedOutputs, encodeBolt11, outputsFor, unblindProofs } from '@cashu-mint/core/testing'
import { FakeWallet } from '@cashu-mint/fake-wallet'
import { openStore } from '../src/connect.ts'
import { createPostgresDatabase } from './databases.ts'

export type DatabaseKind = 'PGlite' | 'PostgreSQL'

export const curve = selectCurveBackend('native')
/** The Ys (NUT-00) of proofs, to ask their state. */
export const ysOf = (proofs: readonly Proof[]) =>
  proofs.map((p) => bytesToHex(hashSecretToCurve(curve, p.secret)))

export const SEED = 'engine test seed, never used for real money'

export const testSettings: MintSettings = {
  units: {
    sat: { mint: { enabled: true, descriptionAllowed: true }, melt: { enabled: true } },
    usd: { mint: { enabled: false, descriptionAllowed: false }, melt: { enabled: false } },
  },
  limits: { maxInputs: 1000, maxOutputs: 1000 },
  mintQuoteTtlSeconds: 600,
  meltQuoteTtlSeconds: 600,
  feeReserve: { percent: 1, min: 2n },
}

export interface Database {
  url: string
  drop: () => Promise<void>
}

export async function createDatabase(kind: DatabaseKind): Promise<Database> {
  if (kind === 'PostgreSQL') return createPostgresDatabase()
  return { url: 'memory://', drop: async () => undefined }
}

export type TestMint = Awaited<ReturnType<typeof startTestMint<FakeWallet>>>

export async function startTestMint<Backend extends PaymentBackend = FakeWallet>(
  kind: DatabaseKind,
  overrides: Partial<Omit<MintOptions, 'backends'>> & { store?: MintStore; lightning?: Backend } = {},
) {
  const database = overrides.store ? undefined : await createDatabase(kind)
  const store = overrides.store ?? (await openStore({ url: (database as Database).url, maxConnections: 20 }))
  const lightning = overrides.lightning ?? (new FakeWallet({ autoPayDelayMs: 20 }) as unknown as Backend)
  const { lightning: _, ...options } = overrides
  const settings = overrides.settings ?? testSettings
  const mint = await startMint({
    store,
    // Every configured unit over bolt11 through the one backend.
    backends: Object.keys(settings.units).map((unit) => ({ method: 'bolt11', unit, backend: lightning })),
    keys: { seed: SEED },
    settings: testSettings,
    keysets: [{ unit: 'sat', inputFeePpk: 100n }],
    curve,
    recoveryIntervalMs: 0,
    ...options,
  })
  const keysetId = mint.keysets().keysets.find((k) => k.active && k.id.startsWith('01'))?.id as string

  /** Pays and mints `amount` sat, returning the proofs. */
  async function mintProofs(
    amount: bigint,
    outputs: BlindedOutputs = outputsFor(curve, keysetId, amount),
  ): Promise<Proof[]> {
    const quote = await mint.createMintQuote({ amount, unit: 'sat' })
    await waitFor(async () => (await mint.getMintQuote(quote.quote)).state === 'PAID')
    const { signatures } = await mint.mint({ quote: quote.quote, outputs: outputs.outputs })
    return unblindProofs(curve, mint.keys(), outputs, signatures)
  }

  return {
    mint,
    store,
    lightning,
    keysetId,
    mintProofs,
    async close() {
      await mint.stop()
      if (!overrides.store) {
        await store.close()
        await database?.drop()
      }
    },
  }
}

export async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** The NUT error code a promise rejects with. */
export async function errorCode(work: Promise<unknown>): Promise<number | undefined> {
  try {
    await work
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (typeof code === 'number') return code
    throw error
  }
  return undefined
}

/**
 * A signed mainnet invoice of some other node, for melts that go out over Lightning; `issuedAt`
 * (unix seconds) far back makes one that expired long ago, as wallet suites carry.
 */
export function externalInvoice(amountSat: bigint, issuedAt = BigInt(Math.floor(Date.now() / 1000))): string {
  return encodeBolt11({
    network: 'bitcoin',
    amountMsat: amountSat * 1000n,
    timestamp: issuedAt,
    expirySeconds: 3600n,
    paymentHash: bytesToHex(randomBytes(32)),
    paymentSecret: bytesToHex(randomBytes(32)),
    nodeKey: Uint8Array.from(randomBytes(32)),
  })
}
