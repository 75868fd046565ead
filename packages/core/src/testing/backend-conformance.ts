/**
 * The contract every payment backend must meet, as a test suite each backend runs against itself
 * with a harness that plays the rest of the network (`describeBackendConformance('LND', harness,
 * { describe, it, expect })`). It checks what the engine relies on: invoices for the amount asked,
 * settlements announced on the stream and still found after a restart, payments within the fee
 * limit whose preimage is the invoice's, the same invoice never paid twice, a payment whose outcome
 * is open never reported as failed, a payment found again by a new instance (after a crash), and
 * NUT-15 parts and NUT-23 amountless invoices where the backend offers them.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, hexToBytes } from '../crypto/bytes.ts'
import { decodeBolt11 } from '../lightning/bolt11.ts'
import type { PaymentBackend, PaymentResult, Settlement } from '../mint/ports/payment-backend.ts'
import type { TestApi } from './test-api.ts'

/** An invoice of someone else's, for the backend to pay. */
export interface ExternalInvoice {
  invoice: string
  paymentHash: string
}

/** A hold invoice: paying it stays in flight until the payee settles or cancels it. */
export interface HeldInvoice extends ExternalInvoice {
  settle(): Promise<void>
  cancel(): Promise<void>
}

export interface BackendHarness {
  /** What the backend says it can do: the suite checks it says so, and tests MPP and amountless where it does. */
  capabilities: Pick<PaymentBackend['capabilities'], 'mpp' | 'amountless' | 'replaysSettlements'>
  /**
   * A backend instance; every call a new one on the same node, processor or wallet, as the mint
   * after a restart (or a crash) would open it.
   */
  open(): Promise<PaymentBackend>
  /** Pays one of the backend's invoices from outside, in full. */
  payInvoice(invoice: string): Promise<void>
  /** An invoice someone else issued, for `amountMsat` (none: an amountless one). */
  externalInvoice(amountMsat: bigint | undefined): Promise<ExternalInvoice>
  /** A hold invoice of someone else's. */
  heldInvoice(amountMsat: bigint): Promise<HeldInvoice>
  /** Pays `amountMsat` of an invoice from outside, for NUT-15 (another payer's part); with `capabilities.mpp`. */
  payPart?(invoice: string, amountMsat: bigint): Promise<void>
  /** How long a payment or a settlement may take. Default 30 s. */
  timeoutMs?: number
}

/** Polls `check` until it answers something, or fails after `timeoutMs`. */
async function eventually<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** The first settlement of `paymentHash` on the backend's stream. */
async function settlementOf(
  backend: PaymentBackend,
  paymentHash: string,
  timeoutMs: number,
  after?: bigint,
): Promise<Settlement> {
  const stop = new AbortController()
  const timer = setTimeout(() => stop.abort(), timeoutMs)
  try {
    for await (const settlement of backend.settlements(stop.signal, after))
      if (settlement.paymentHash === paymentHash) return settlement
    throw new Error(`no settlement of ${paymentHash} within ${timeoutMs} ms`)
  } finally {
    clearTimeout(timer)
    stop.abort()
  }
}

/** A preimage that is the invoice's (zeros: a backend that cannot know it says so). */
const provesPayment = (result: PaymentResult, paymentHash: string) =>
  result.status === 'PAID' &&
  (result.preimage === '0'.repeat(64) || bytesToHex(sha256(hexToBytes(result.preimage))) === paymentHash)

export function describeBackendConformance(name: string, harness: BackendHarness, api: TestApi): void {
  const { describe, expect, it } = api
  const timeoutMs = harness.timeoutMs ?? 30_000
  const testTimeout = timeoutMs * 4

  describe(`PaymentBackend conformance: ${name}`, () => {
    it(
      'makes an invoice for at least the amount, on its network, open until it is paid',
      async () => {
        const backend = await harness.open()
        const { mpp, amountless, replaysSettlements } = backend.capabilities
        expect({ mpp, amountless, replaysSettlements }).toEqual(harness.capabilities)
        expect(backend.capabilities.methods).toContain('bolt11')
        const created = await backend.createInvoice({
          amountMsat: 21_000n,
          description: 'conformance',
          expirySeconds: 600,
        })
        const invoice = decodeBolt11(created.request)
        expect(invoice.paymentHash).toBe(created.paymentHash)
        expect(invoice.network).toBe(backend.network)
        expect(invoice.amountMsat ?? 0n).toBeGreaterThanOrEqual(21_000n)
        expect(created.amountMsat ?? invoice.amountMsat).toBe(invoice.amountMsat)
        expect(Number(created.expiry)).toBeGreaterThan(Date.now() / 1000)
        expect((await backend.invoiceStatus(created.paymentHash)).state).toBe('OPEN')
      },
      testTimeout,
    )

    it(
      'announces a paid invoice on its settlement stream and in the invoice status',
      async () => {
        const backend = await harness.open()
        const created = await backend.createInvoice({ amountMsat: 30_000n, expirySeconds: 600 })
        const heard = settlementOf(backend, created.paymentHash, timeoutMs)
        // The stream is open before the payment: settlementOf subscribes at once.
        await new Promise((resolve) => setTimeout(resolve, 500))
        await harness.payInvoice(created.request)
        const settlement = await heard
        expect(settlement.amountPaidMsat).toBeGreaterThanOrEqual(30_000n)
        const status = await eventually('the invoice paid', timeoutMs, async () => {
          const s = await backend.invoiceStatus(created.paymentHash)
          return s.state === 'PAID' ? s : undefined
        })
        expect(status.amountPaidMsat).toBe(settlement.amountPaidMsat)
      },
      testTimeout,
    )

    it(
      'still knows a payment made while nobody listened, after a restart',
      async () => {
        const before = await harness.open()
        const last = await before.createInvoice({ amountMsat: 11_000n, expirySeconds: 600 })
        const heard = settlementOf(before, last.paymentHash, timeoutMs)
        await new Promise((resolve) => setTimeout(resolve, 500))
        await harness.payInvoice(last.request)
        const position = (await heard).position
        // Paid while no stream was open.
        const created = await before.createInvoice({ amountMsat: 12_000n, expirySeconds: 600 })
        await harness.payInvoice(created.request)
        const after = await harness.open()
        if (after.capabilities.replaysSettlements) {
          const replayed = await settlementOf(after, created.paymentHash, timeoutMs, position)
          expect(replayed.amountPaidMsat).toBeGreaterThanOrEqual(12_000n)
        }
        // Either way the status says so, which the engine asks for every open quote.
        const status = await eventually('the invoice paid', timeoutMs, async () => {
          const s = await after.invoiceStatus(created.paymentHash)
          return s.state === 'PAID' ? s : undefined
        })
        expect(status.amountPaidMsat).toBeGreaterThanOrEqual(12_000n)
      },
      testTimeout,
    )

    it(
      'pays within the fee limit, proves it with the preimage, and never pays the same invoice twice',
      async () => {
        const backend = await harness.open()
        const external = await harness.externalInvoice(40_000n)
        const quote = await backend.estimateFee({
          invoice: external.invoice,
          amountMsat: 40_000n,
          quoteId: crypto.randomUUID(),
        })
        const maxFeeMsat = quote.feeEstimateMsat > 5_000n ? quote.feeEstimateMsat : 5_000n
        const payment = {
          quoteId: crypto.randomUUID(),
          invoice: external.invoice,
          paymentHash: external.paymentHash,
          amountMsat: 40_000n,
          maxFeeMsat,
        }
        const paid = await backend.pay(payment)
        expect(paid.status).toBe('PAID')
        expect(provesPayment(paid, external.paymentHash)).toBe(true)
        if (paid.status === 'PAID') expect(paid.feeMsat).toBeLessThanOrEqual(maxFeeMsat)
        const balance = await backend.balance()
        const again = await backend.pay({ ...payment, quoteId: crypto.randomUUID() })
        // A second call answers the first payment's outcome or refuses: nothing leaves twice.
        if (again.status === 'PAID') expect(again.preimage).toBe(paid.status === 'PAID' ? paid.preimage : '')
        else expect(again.status).toBe('FAILED')
        if (balance !== null) expect(await backend.balance()).toBe(balance)
        expect((await backend.paymentStatus(external.paymentHash, 40_000n)).status).toBe('PAID')
      },
      testTimeout,
    )

    it(
      'reports a payment in flight as pending or unknown, never failed, until it ends',
      async () => {
        const backend = await harness.open()
        const held = await harness.heldInvoice(25_000n)
        const paying = backend.pay({
          quoteId: crypto.randomUUID(),
          invoice: held.invoice,
          paymentHash: held.paymentHash,
          amountMsat: 25_000n,
          maxFeeMsat: 5_000n,
        })
        // Until the payee decides, every answer keeps the wallet's proofs reserved.
        for (let i = 0; i < 5; i++) {
          await new Promise((resolve) => setTimeout(resolve, 600))
          const status = await backend.paymentStatus(held.paymentHash, 25_000n)
          expect(['PENDING', 'UNKNOWN']).toContain(status.status)
        }
        // A new instance, as after a crash mid-payment, sees the same.
        const restarted = await harness.open()
        expect(['PENDING', 'UNKNOWN']).toContain(
          (await restarted.paymentStatus(held.paymentHash, 25_000n)).status,
        )
        await held.settle()
        const outcome = await paying
        expect(['PAID', 'PENDING', 'UNKNOWN']).toContain(outcome.status)
        const settled = await eventually('the payment settled', timeoutMs, async () => {
          const s = await restarted.paymentStatus(held.paymentHash, 25_000n)
          return s.status === 'PAID' ? s : undefined
        })
        expect(provesPayment(settled, held.paymentHash)).toBe(true)
      },
      testTimeout,
    )

    it(
      'finds a payment a previous instance made, as after a crash',
      async () => {
        const first = await harness.open()
        const external = await harness.externalInvoice(15_000n)
        const paid = await first.pay({
          quoteId: crypto.randomUUID(),
          invoice: external.invoice,
          paymentHash: external.paymentHash,
          amountMsat: 15_000n,
          maxFeeMsat: 5_000n,
        })
        expect(paid.status).toBe('PAID')
        const second = await harness.open()
        const found = await second.paymentStatus(external.paymentHash, 15_000n)
        expect(found.status).toBe('PAID')
        if (found.status === 'PAID' && paid.status === 'PAID') {
          expect(found.preimage).toBe(paid.preimage)
          expect(found.feeMsat).toBe(paid.feeMsat)
        }
      },
      testTimeout,
    )

    if (harness.capabilities.mpp)
      it(
        'pays a NUT-15 part of an invoice while another payer pays the rest',
        async () => {
          const backend = await harness.open()
          const payPart = harness.payPart
          if (!payPart) throw new Error('a harness of a backend that offers MPP pays the other part')
          const external = await harness.externalInvoice(60_000n)
          const ours = backend.pay({
            quoteId: crypto.randomUUID(),
            invoice: external.invoice,
            paymentHash: external.paymentHash,
            amountMsat: 20_000n,
            maxFeeMsat: 5_000n,
          })
          await payPart(external.invoice, 40_000n)
          expect((await ours).status).toBe('PAID')
        },
        testTimeout,
      )

    if (harness.capabilities.amountless)
      it(
        'pays an invoice that names no amount for the amount given',
        async () => {
          const backend = await harness.open()
          const external = await harness.externalInvoice(undefined)
          const paid = await backend.pay({
            quoteId: crypto.randomUUID(),
            invoice: external.invoice,
            paymentHash: external.paymentHash,
            amountMsat: 17_000n,
            maxFeeMsat: 5_000n,
          })
          expect(paid.status).toBe('PAID')
          expect(provesPayment(paid, external.paymentHash)).toBe(true)
        },
        testTimeout,
      )
  })
}
