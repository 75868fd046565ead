/**
 * The contract every MintStore must meet, as a test suite any driver runs against itself
 * (`describeStoreConformance('PGlite', open, { describe, it, expect })`, with vitest's or a test
 * framework of the same shape, so this package does not load one). It checks round trips of u64
 * values, that each uniqueness rule the engine relies on is enforced by the store, and that a failed
 * transaction leaves nothing behind.
 */
import {
  type AuthProofRecord,
  type IssuanceRecord,
  type KeysetRecord,
  type MeltQuoteRecord,
  type MeltSagaRecord,
  type MintQuoteRecord,
  type MintStore,
  type ProofRecord,
  type ReceiptRecord,
  type RefundRecord,
  type SignatureRecord,
  StoreConflictError,
} from '../mint/ports/store.ts'
import { U64_MAX } from '../protocol/amount.ts'
import type { TestApi } from './test-api.ts'

let counter = 0
const unique = (prefix: string) =>
  `${prefix}${(++counter).toString(16).padStart(8, '0')}${Math.random().toString(16).slice(2, 10)}`
const hex = () => unique('02').padEnd(66, '0')

const keyset = (): KeysetRecord => ({
  id: unique('01'),
  unit: 'sat',
  derivationPath: "m/0'/0'/0'",
  amountCount: 64,
  inputFeePpk: 100n,
  finalExpiry: 2_000_000_000n,
  active: true,
  aliasOf: null,
  createdAt: 1n,
})
const proof = (operationId: string, state: ProofRecord['state'] = 'SPENT'): ProofRecord => ({
  y: hex(),
  keysetId: '01ab',
  amount: U64_MAX,
  secret: unique('secret'),
  C: hex(),
  witness: '{"signatures":[]}',
  state,
  operationId,
})
const authProof = (requestKey: string): AuthProofRecord => ({
  y: hex(),
  keysetId: '01aa',
  secret: unique('bat'),
  C: hex(),
  state: 'PENDING',
  requestKey,
  endpoint: 'POST /v1/swap',
  reservation: unique('r'),
  evidence: '{"ys":[],"outputs":[]}',
  createdAt: 5n,
})
const signature = (operationId: string): SignatureRecord => ({
  B_: hex(),
  keysetId: '01ab',
  amount: 2n ** 63n,
  C_: hex(),
  dleqE: 'e'.repeat(64),
  dleqS: 'f'.repeat(64),
  operationId,
})
const mintQuote = (): MintQuoteRecord => ({
  id: unique('mq'),
  method: 'bolt11',
  backend: 'lnd:02abc',
  unit: 'sat',
  amount: 1000n,
  request: 'lnbc10u1...',
  paymentHash: unique('hash'),
  state: 'UNPAID',
  expiry: 1_900_000_000n,
  pubkey: null,
  description: 'top up',
  amountMsat: 1_000_000n,
  rate: '1000/1',
  createdAt: 1_700_000_000n,
  paidAt: null,
  issuedAt: null,
})
const meltQuote = (paymentHash: string): MeltQuoteRecord => ({
  id: unique('mlt'),
  method: 'bolt11',
  backend: 'lnbits:wallet-1',
  unit: 'sat',
  request: 'lnbc10u1...',
  paymentHash,
  amount: 1000n,
  feeReserve: 20n,
  amountMsat: 1_000_000n,
  rate: '1000/1',
  state: 'UNPAID',
  expiry: 1_900_000_000n,
  preimage: null,
  feePaid: null,
  internalMintQuoteId: null,
  createdAt: 1_700_000_000n,
})

async function conflictOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work
  } catch (error) {
    if (error instanceof StoreConflictError) return error.conflict
    throw error
  }
  return undefined
}

/** The assertions the suite uses, as vitest's and jest's `expect` provide them. */
export function describeStoreConformance(name: string, open: () => Promise<MintStore>, api: TestApi): void {
  const { describe, expect, it } = api
  describe(`MintStore conformance: ${name}`, () => {
    const withStore = (test: (store: MintStore) => Promise<void>) => async () => {
      const store = await open()
      try {
        await test(store)
      } finally {
        await store.close()
      }
    }

    it(
      'round-trips keysets with u64 fees and flips active',
      withStore(async (store) => {
        const record = { ...keyset(), inputFeePpk: U64_MAX }
        await store.insertKeyset(record)
        expect((await store.listKeysets()).find((k) => k.id === record.id)).toEqual(record)
        await store.setKeysetActive(record.id, false)
        expect((await store.listKeysets()).find((k) => k.id === record.id)?.active).toBe(false)
      }),
    )

    it(
      'reserves a BAT once, spends it on success and releases it on failure',
      withStore(async (store) => {
        const bat = authProof('request-1')
        expect(await store.reserveAuthProof(bat)).toBeUndefined()
        expect(await store.reserveAuthProof({ ...bat, requestKey: 'request-2' })).toEqual(bat)
        expect(await store.listPendingAuthProofs()).toContainEqual(bat)
        // Another reservation's settling does not touch this one.
        await store.finishAuthProof(bat.y, 'another reservation', false)
        await store.finishAuthProof(bat.y, bat.reservation, true)
        expect(await store.reserveAuthProof(bat)).toEqual({ ...bat, state: 'SPENT', evidence: null })
        // A spent BAT is never released.
        await store.finishAuthProof(bat.y, bat.reservation, false)
        expect((await store.reserveAuthProof(bat))?.state).toBe('SPENT')
        const failed = authProof('request-3')
        await store.reserveAuthProof(failed)
        await store.finishAuthProof(failed.y, failed.reservation, false)
        expect(await store.reserveAuthProof(failed)).toBeUndefined()
      }),
    )

    it(
      "counts BATs per subject and refuses mint requests beyond the minute's limit",
      withStore(async (store) => {
        const subject = unique('user')
        expect(await store.countAuthIssuance(subject, 5n, 1000n, 2)).toBe(true)
        expect(await store.countAuthIssuance(subject, 5n, 1010n, 2)).toBe(true)
        expect(await store.countAuthIssuance(subject, 5n, 1020n, 2)).toBe(false)
        // A new minute opens a new window.
        expect(await store.countAuthIssuance(subject, U64_MAX - 10n, 1061n, 2)).toBe(true)
        const counted = (await store.listAuthIssuance()).find((u) => u.subject === subject)
        expect(counted).toEqual({ subject, bats: U64_MAX, requests: 3n, lastAt: 1061n })
      }),
    )

    it(
      'stores a Y once: a second insert is a proof conflict',
      withStore(async (store) => {
        const first = proof('op1')
        await store.insertProofs([first])
        expect(await store.findProofs([first.y])).toEqual([first])
        expect(await conflictOf(store.insertProofs([{ ...first, operationId: 'op2' }]))).toBe('proof')
        expect((await store.findProofs([first.y]))[0]?.operationId).toBe('op1')
      }),
    )

    it(
      'rolls back the whole transaction when one write conflicts',
      withStore(async (store) => {
        const spent = proof('op1')
        await store.insertProofs([spent])
        const fresh = proof('op2')
        const sig = signature('op2')
        const conflict = await conflictOf(
          store.transaction(async (tx) => {
            await tx.insertSignatures([sig])
            await tx.insertProofs([fresh, spent])
          }),
        )
        expect(conflict).toBe('proof')
        expect(await store.findProofs([fresh.y])).toEqual([])
        expect(await store.findSignatures([sig.B_])).toEqual([])
      }),
    )

    it(
      'records a spend atomically: proofs and signatures together, or neither, naming the conflict',
      withStore(async (store) => {
        await store.insertKeyset(keyset())
        const first = [proof('op1'), proof('op1')]
        const signed = [signature('op1'), signature('op1')]
        await store.recordSpend(first, signed)
        expect((await store.findProofs(first.map((p) => p.y))).length).toBe(2)
        expect((await store.findSignatures(signed.map((s) => s.B_))).length).toBe(2)
        // A new proof with an output already signed: nothing of it is kept.
        const fresh = proof('op2')
        const again = signed[0] as SignatureRecord
        let conflict: unknown
        await store.recordSpend([fresh], [{ ...again, operationId: 'op2' }]).catch((e: unknown) => {
          conflict = e
        })
        expect((conflict as StoreConflictError).conflict).toBe('signature')
        expect(await store.findProofs([fresh.y])).toEqual([])
        // A spent proof with a new output: nothing of it is kept either.
        const newOutput = signature('op3')
        await store.recordSpend([first[0] as ProofRecord], [newOutput]).catch((e: unknown) => {
          conflict = e
        })
        expect((conflict as StoreConflictError).conflict).toBe('proof')
        expect(await store.findSignatures([newOutput.B_])).toEqual([])
      }),
    )

    it(
      'rolls back when the work throws',
      withStore(async (store) => {
        const p = proof('op')
        await expect(
          store.transaction(async (tx) => {
            await tx.insertProofs([p])
            throw new Error('boom')
          }),
        ).rejects.toThrow('boom')
        expect(await store.findProofs([p.y])).toEqual([])
      }),
    )

    it(
      'moves only the operation’s own pending proofs',
      withStore(async (store) => {
        const mine = proof('melt-1', 'PENDING')
        const other = proof('melt-2', 'PENDING')
        await store.insertProofs([mine, other])
        await store.markProofsSpent([mine.y, other.y], 'melt-1')
        await store.deletePendingProofs([mine.y, other.y], 'melt-3')
        const states = new Map((await store.findProofs([mine.y, other.y])).map((p) => [p.y, p.state]))
        expect(states.get(mine.y)).toBe('SPENT')
        expect(states.get(other.y)).toBe('PENDING')
        await store.deletePendingProofs([other.y], 'melt-2')
        expect(await store.findProofs([other.y])).toEqual([])
      }),
    )

    it(
      'signs a B_ once and keeps u64 amounts exact',
      withStore(async (store) => {
        const sig = signature('op')
        await store.insertSignatures([sig])
        expect(await store.findSignatures([sig.B_])).toEqual([sig])
        expect(await conflictOf(store.insertSignatures([{ ...sig, C_: hex() }]))).toBe('signature')
      }),
    )

    it(
      'credits a payment hash to one mint quote, and locks and updates quotes',
      withStore(async (store) => {
        const quote = mintQuote()
        await store.insertMintQuote(quote)
        expect(
          await conflictOf(store.insertMintQuote({ ...mintQuote(), paymentHash: quote.paymentHash })),
        ).toBe('mint-quote-payment')
        await store.transaction(async (tx) => {
          expect(await tx.getMintQuote(quote.id, true)).toEqual(quote)
          await tx.updateMintQuote(quote.id, { state: 'PAID', paidAt: 5n })
        })
        expect(await store.getMintQuoteByPaymentHash(quote.paymentHash)).toEqual({
          ...quote,
          state: 'PAID',
          paidAt: 5n,
        })
        expect(
          (await store.listMintQuotes({ state: 'PAID', limit: 1000 })).some((q) => q.id === quote.id),
        ).toBe(true)
        expect(await store.getMintQuote('missing')).toBeUndefined()
      }),
    )

    it(
      'lets one melt quote per invoice be PENDING or PAID',
      withStore(async (store) => {
        const hash = unique('hash')
        const a = meltQuote(hash)
        const b = meltQuote(hash)
        await store.insertMeltQuote(a)
        await store.insertMeltQuote(b)
        await store.updateMeltQuote(a.id, { state: 'PENDING' })
        expect(await conflictOf(store.updateMeltQuote(b.id, { state: 'PENDING' }))).toBe('melt-payment')
        await store.updateMeltQuote(a.id, { state: 'PAID', preimage: 'ab'.repeat(32), feePaid: 3n })
        expect(await conflictOf(store.updateMeltQuote(b.id, { state: 'PENDING' }))).toBe('melt-payment')
        expect(await store.getMeltQuote(a.id)).toEqual({
          ...a,
          state: 'PAID',
          preimage: 'ab'.repeat(32),
          feePaid: 3n,
        })
      }),
    )

    it(
      'changes a melt quote only from the state the caller expects',
      withStore(async (store) => {
        const quote = meltQuote(unique('hash'))
        await store.insertMeltQuote(quote)
        expect(await store.updateMeltQuote(quote.id, { state: 'PENDING' }, 'UNPAID')).toBe(true)
        // A second reservation, or a settlement that expects another state, changes nothing.
        expect(await store.updateMeltQuote(quote.id, { state: 'PENDING' }, 'UNPAID')).toBe(false)
        expect(await store.updateMeltQuote(quote.id, { state: 'UNPAID' }, 'PAID')).toBe(false)
        expect((await store.getMeltQuote(quote.id))?.state).toBe('PENDING')
        const paid = { state: 'PAID' as const, preimage: 'cd'.repeat(32), feePaid: 1n }
        const settled = await store.transaction((tx) => tx.updateMeltQuote(quote.id, paid, 'PENDING'))
        expect(settled).toBe(true)
        expect(await store.updateMeltQuote(quote.id, { state: 'UNPAID' }, 'PENDING')).toBe(false)
        expect(await store.getMeltQuote(quote.id)).toEqual({ ...quote, ...paid })
        expect(await store.updateMeltQuote('missing', { state: 'PENDING' }, 'UNPAID')).toBe(false)
      }),
    )

    it(
      'keeps melt sagas until they end',
      withStore(async (store) => {
        const saga: MeltSagaRecord = {
          id: unique('saga'),
          quoteId: unique('q'),
          state: 'PENDING',
          inputYs: [hex(), hex()],
          outputs: [{ amount: U64_MAX, id: '01ab', B_: hex() }],
          inputAmount: U64_MAX,
          inputFee: 1n,
          createdAt: 1n,
          updatedAt: 1n,
        }
        await store.insertMeltSaga(saga)
        expect(await store.findMeltSaga(saga.quoteId)).toEqual(saga)
        expect((await store.listUnfinishedMeltSagas()).map((s) => s.id)).toContain(saga.id)
        await store.updateMeltSaga(saga.id, 'PAID', 2n)
        expect((await store.listUnfinishedMeltSagas()).map((s) => s.id)).not.toContain(saga.id)
        expect(await store.findMeltSaga(saga.quoteId)).toEqual({ ...saga, state: 'PAID', updatedAt: 2n })
      }),
    )

    it(
      'keeps a settlement position per backend that only moves forward',
      withStore(async (store) => {
        const backend = unique('lnd')
        expect(await store.getSettlementPosition(backend)).toBeUndefined()
        await store.saveSettlementPosition(backend, 7n, 1n)
        await store.saveSettlementPosition(backend, 5n, 2n)
        expect(await store.getSettlementPosition(backend)).toBe(7n)
        await store.saveSettlementPosition(backend, U64_MAX, 3n)
        expect(await store.getSettlementPosition(backend)).toBe(U64_MAX)
        expect(await store.getSettlementPosition(unique('other'))).toBeUndefined()
      }),
    )

    it(
      'records operator issuances with their quote',
      withStore(async (store) => {
        const quote = { ...mintQuote(), state: 'PAID' as const, amountMsat: null, rate: null, request: '' }
        const issuance: IssuanceRecord = {
          quoteId: quote.id,
          amount: U64_MAX,
          unit: 'credit',
          reference: 'order 42',
          createdAt: 1_700_000_000n,
        }
        await store.transaction(async (tx) => {
          await tx.insertMintQuote(quote)
          await tx.insertIssuance(issuance)
        })
        expect(await store.getMintQuote(quote.id)).toEqual(quote)
        expect(await store.listIssuances({ limit: 1000 })).toContainEqual(issuance)
      }),
    )

    it(
      'keeps one receipt per token',
      withStore(async (store) => {
        const receipt: ReceiptRecord = {
          id: unique('rcpt'),
          tokenHash: hex(),
          key: 'request 7',
          unit: 'sat',
          amount: 10n,
          inputAmount: U64_MAX,
          fee: 1n,
          change: U64_MAX - 11n,
          changeOutputs: [hex(), hex()],
          changeByMint: true,
          memo: null,
          createdAt: 1_700_000_000n,
        }
        await store.insertReceipt(receipt)
        expect(await store.findReceipt(receipt.tokenHash)).toEqual(receipt)
        expect(await conflictOf(store.insertReceipt({ ...receipt, id: unique('rcpt'), key: null }))).toBe(
          'receipt',
        )
        const plain = { ...receipt, id: unique('rcpt'), tokenHash: hex(), changeByMint: false, key: null }
        await store.insertReceipt(plain)
        expect(await store.findReceipt(plain.tokenHash)).toEqual(plain)
        expect(await store.findReceipt(hex())).toBeUndefined()
        expect(await store.getReceipt(plain.id)).toEqual(plain)
        expect(await store.getReceipt(unique('rcpt'))).toBeUndefined()
      }),
    )

    it(
      'keeps one refund per receipt',
      withStore(async (store) => {
        const receiptId = unique('rcpt')
        await store.insertReceipt({
          id: receiptId,
          tokenHash: hex(),
          key: null,
          unit: 'sat',
          amount: U64_MAX,
          inputAmount: U64_MAX,
          fee: 0n,
          change: 0n,
          changeOutputs: [],
          changeByMint: false,
          memo: null,
          createdAt: 1_700_000_000n,
        })
        const refund: RefundRecord = {
          id: unique('rfnd'),
          receiptId,
          unit: 'sat',
          amount: U64_MAX,
          outputs: [hex(), hex()],
          reason: 'the upstream API failed',
          createdAt: 1_700_000_001n,
        }
        expect(await store.findRefund(receiptId)).toBeUndefined()
        await store.insertRefund(refund)
        expect(await store.findRefund(receiptId)).toEqual(refund)
        expect(await conflictOf(store.insertRefund({ ...refund, id: unique('rfnd'), reason: null }))).toBe(
          'refund',
        )
      }),
    )
  })
}
