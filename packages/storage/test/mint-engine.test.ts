import { randomBytes } from 'node:crypto'
import { sigAllMessage } from '@cashu-mint/core/conditions'
import { bytesToHex, hexToBytes, verifyDleq } from '@cashu-mint/core/crypto'
import type { MintStore, MintStoreTx } from '@cashu-mint/core/mint'
import { ErrorCode, inputFee, type Proof } from '@cashu-mint/core/protocol'
import { blindOutputs, encodeBolt11, outputsFor, unblindProofs } from '@cashu-mint/core/testing'
import { FakeWallet } from '@cashu-mint/fake-wallet'
import { schnorr } from '@noble/curves/secp256k1.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { afterEach, describe, expect, it } from 'vitest'
import { openStore } from '../src/connect.ts'
import {
  createDatabase,
  curve,
  type DatabaseKind,
  errorCode,
  externalInvoice,
  startTestMint,
  type TestMint,
  testSettings,
  waitFor,
  ysOf,
} from './mint-fixture.ts'

const sum = (proofs: readonly { amount: bigint }[]) => proofs.reduce((a, p) => a + p.amount, 0n)
const feeFor = (proofs: readonly Proof[]) => inputFee(proofs.map(() => 100n))

describe.each<DatabaseKind>(['PGlite', 'PostgreSQL'])('mint engine on %s', (kind) => {
  let t: TestMint
  afterEach(async () => {
    await t?.close()
  })

  it('mints a paid quote once, with DLEQ proofs that verify, and restores the same signatures', async () => {
    t = await startTestMint(kind)
    // Paid by hand below, so that the refusal before payment does not race the fake's timer.
    t.lightning.autoPay = false
    const quote = await t.mint.createMintQuote({ amount: 1337n, unit: 'sat', description: 'top up' })
    expect(quote.request.startsWith('lnbc13370n1')).toBe(true)
    expect(quote.state).toBe('UNPAID')
    expect(
      await errorCode(
        t.mint.mint({ quote: quote.quote, outputs: outputsFor(curve, t.keysetId, 1337n).outputs }),
      ),
    ).toBe(ErrorCode.QUOTE_NOT_PAID)
    t.lightning.settleInvoice((await t.store.getMintQuote(quote.quote))?.paymentHash as string)
    await waitFor(async () => (await t.mint.getMintQuote(quote.quote)).state === 'PAID')
    const outputs = outputsFor(curve, t.keysetId, 1337n)
    const { signatures } = await t.mint.mint({ quote: quote.quote, outputs: outputs.outputs })
    expect(signatures.map((s) => s.amount)).toEqual(outputs.outputs.map((o) => o.amount))
    const keys = t.mint.keys(t.keysetId).keysets[0]?.keys ?? {}
    for (const [i, s] of signatures.entries()) {
      const dleq = { e: hexToBytes(s.dleq?.e ?? ''), s: hexToBytes(s.dleq?.s ?? '') }
      const A = hexToBytes(keys[s.amount.toString()] as string)
      expect(verifyDleq(curve, dleq, A, hexToBytes(outputs.outputs[i]?.B_ as string), hexToBytes(s.C_))).toBe(
        true,
      )
    }
    expect((await t.mint.getMintQuote(quote.quote)).state).toBe('ISSUED')
    expect(
      await errorCode(
        t.mint.mint({ quote: quote.quote, outputs: outputsFor(curve, t.keysetId, 1337n).outputs }),
      ),
    ).toBe(ErrorCode.QUOTE_ALREADY_ISSUED)
    // The same request again (its answer was lost) gets the same signatures.
    expect(await t.mint.mint({ quote: quote.quote, outputs: outputs.outputs })).toEqual({ signatures })
    const restored = await t.mint.restore(outputs.outputs)
    expect(restored.signatures).toEqual(signatures)
    expect(restored.outputs).toEqual(outputs.outputs)
  })

  it('refuses mint requests that do not match the quote', async () => {
    t = await startTestMint(kind)
    const quote = await t.mint.createMintQuote({ amount: 64n, unit: 'sat' })
    await waitFor(async () => (await t.mint.getMintQuote(quote.quote)).state === 'PAID')
    const code = (outputs: ReturnType<typeof blindOutputs>) =>
      errorCode(t.mint.mint({ quote: quote.quote, outputs: outputs.outputs }))
    expect(await code(outputsFor(curve, t.keysetId, 63n))).toBe(ErrorCode.TRANSACTION_UNBALANCED)
    expect(await code(outputsFor(curve, '01'.padEnd(66, 'f'), 64n))).toBe(ErrorCode.KEYSET_UNKNOWN)
    const dup = outputsFor(curve, t.keysetId, 32n)
    expect(
      await errorCode(t.mint.mint({ quote: quote.quote, outputs: [...dup.outputs, ...dup.outputs] })),
    ).toBe(ErrorCode.DUPLICATE_OUTPUTS)
    expect(await errorCode(t.mint.createMintQuote({ amount: 5n, unit: 'eur' }))).toBe(
      ErrorCode.UNIT_UNSUPPORTED,
    )
    expect(await errorCode(t.mint.createMintQuote({ amount: 5n, unit: 'usd' }))).toBe(
      ErrorCode.MINTING_DISABLED,
    )
  })

  it('swaps with input fees, and refuses replays, imbalance and re-signing', async () => {
    t = await startTestMint(kind)
    const proofs = await t.mintProofs(100n)
    const fee = feeFor(proofs)
    expect(fee).toBe(1n)
    const unbalanced = outputsFor(curve, t.keysetId, 100n)
    expect(await errorCode(t.mint.swap({ inputs: proofs, outputs: unbalanced.outputs }))).toBe(
      ErrorCode.TRANSACTION_UNBALANCED,
    )
    const outputs = outputsFor(curve, t.keysetId, 100n - fee)
    const { signatures } = await t.mint.swap({ inputs: proofs, outputs: outputs.outputs })
    expect(sum(signatures)).toBe(99n)
    // The same swap again (its answer was lost) gets the same signatures; other outputs do not.
    expect(await t.mint.swap({ inputs: proofs, outputs: outputs.outputs })).toEqual({ signatures })
    expect(
      await errorCode(t.mint.swap({ inputs: proofs, outputs: outputsFor(curve, t.keysetId, 99n).outputs })),
    ).toBe(ErrorCode.PROOFS_ALREADY_SPENT)
    const fresh = unblindProofs(curve, t.mint.keys(), outputs, signatures)
    expect(
      await errorCode(
        t.mint.swap({
          inputs: fresh,
          outputs: outputs.outputs
            .slice(0, 1)
            .concat(outputsFor(curve, t.keysetId, 99n - 1n - (outputs.outputs[0]?.amount ?? 0n)).outputs),
        }),
      ),
    ).toBe(ErrorCode.OUTPUTS_ALREADY_SIGNED)
    const forged = fresh.map((p, i) => (i === 0 ? { ...p, C: fresh[1]?.C as string } : p))
    expect(
      await errorCode(t.mint.swap({ inputs: forged, outputs: outputsFor(curve, t.keysetId, 98n).outputs })),
    ).toBe(ErrorCode.PROOF_VERIFICATION_FAILED)
    const states = await t.mint.checkState([...ysOf(proofs), ...ysOf(fresh)])
    expect(states.states.map((s) => s.state)).toEqual([
      ...proofs.map(() => 'SPENT'),
      ...fresh.map(() => 'UNSPENT'),
    ])
  })

  it('pays an external invoice with a melt and returns change for the unused fee reserve', async () => {
    t = await startTestMint(kind)
    const invoice = externalInvoice(1000n)
    const quote = await t.mint.createMeltQuote({ request: invoice, unit: 'sat' })
    expect(quote.amount).toBe(1000n)
    expect(quote.fee_reserve).toBe(10n)
    const proofs = await t.mintProofs(1024n)
    const blanks = blindOutputs(curve, t.keysetId, [1n, 1n, 1n, 1n], undefined)
    const result = await t.mint.melt({ quote: quote.quote, inputs: proofs, outputs: blanks.outputs })
    expect(result.state).toBe('PAID')
    expect(result.method).toBe('bolt11')
    // The FakeWallet cannot know another node's preimage: zeros, which Nutshell's wallet does not check.
    expect(result.payment_preimage).toBe('0'.repeat(64))
    // 1024 in, 1 input fee, 1000 paid, FakeWallet fee 5 sat (0.5%): 18 back.
    expect(sum(result.change ?? [])).toBe(1024n - feeFor(proofs) - 1000n - 5n)
    const change = unblindProofs(curve, t.mint.keys(), blanks, result.change ?? [])
    expect((await t.mint.checkState(ysOf(proofs))).states.every((s) => s.state === 'SPENT')).toBe(true)
    expect((await t.mint.getMeltQuote(quote.quote)).change).toEqual(result.change)
    const swapped = await t.mint.swap({
      inputs: change,
      outputs: outputsFor(curve, t.keysetId, sum(change) - feeFor(change)).outputs,
    })
    expect(swapped.signatures.length).toBeGreaterThan(0)
    expect(await errorCode(t.mint.melt({ quote: quote.quote, inputs: proofs }))).toBe(
      ErrorCode.INVOICE_ALREADY_PAID,
    )
  })

  it('reads the melt quote once for a melt and once for a look at a pending one', async () => {
    const database = await createDatabase(kind)
    const store = await openStore({ url: database.url })
    let quoteReads = 0
    /** The same store (and each transaction's), counting melt quote reads. */
    const counting = <T extends MintStoreTx>(target: T): T =>
      new Proxy(target, {
        get(object, property, receiver) {
          if (property === 'getMeltQuote')
            return (id: string) => {
              quoteReads++
              return object.getMeltQuote(id)
            }
          if (property === 'transaction')
            return (work: (tx: MintStoreTx) => Promise<unknown>) =>
              (object as unknown as MintStore).transaction((tx) => work(counting(tx)))
          return Reflect.get(object, property, receiver)
        },
      })
    t = await startTestMint(kind, { store: counting(store) })
    const quote = await t.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
    const proofs = await t.mintProofs(128n)
    quoteReads = 0
    expect((await t.mint.melt({ quote: quote.quote, inputs: proofs })).state).toBe('PAID')
    expect(quoteReads).toBe(1)
    const pending = await t.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
    t.lightning.paymentOutcome = 'ERROR'
    expect((await t.mint.melt({ quote: pending.quote, inputs: await t.mintProofs(128n) })).state).toBe(
      'PENDING',
    )
    quoteReads = 0
    expect((await t.mint.getMeltQuote(pending.quote)).state).toBe('PENDING')
    expect(quoteReads).toBe(1)
    await t.close()
    await store.close()
    await database.drop()
  })

  it('settles a melt of its own invoice internally, without Lightning or fees', async () => {
    t = await startTestMint(kind)
    t.lightning.autoPay = false
    const target = await t.mint.createMintQuote({ amount: 200n, unit: 'sat' })
    const quote = await t.mint.createMeltQuote({ request: target.request, unit: 'sat' })
    expect(quote.fee_reserve).toBe(0n)
    t.lightning.autoPay = true
    const proofs = await t.mintProofs(256n)
    t.lightning.paymentOutcome = 'ERROR'
    const blanks = blindOutputs(curve, t.keysetId, [1n, 1n, 1n, 1n, 1n, 1n])
    const result = await t.mint.melt({ quote: quote.quote, inputs: proofs, outputs: blanks.outputs })
    expect(result.state).toBe('PAID')
    expect(sum(result.change ?? [])).toBe(256n - feeFor(proofs) - 200n)
    // The real preimage of the mint's own invoice: the wallet can prove the payment.
    const preimage = hexToBytes(result.payment_preimage as string)
    expect(bytesToHex(sha256(preimage))).toBe((await t.store.getMintQuote(target.quote))?.paymentHash)
    expect((await t.mint.getMeltQuote(quote.quote)).payment_preimage).toBe(result.payment_preimage)
    expect((await t.mint.getMintQuote(target.quote)).state).toBe('PAID')
    const minted = await t.mint.mint({
      quote: target.quote,
      outputs: outputsFor(curve, t.keysetId, 200n).outputs,
    })
    expect(sum(minted.signatures)).toBe(200n)
  })

  it('works as wallet suites run it: FakeWallet delay 0, and invoices that expired long ago', async () => {
    t = await startTestMint(kind, { lightning: new FakeWallet({ autoPayDelayMs: 0 }) })
    const proofs = await t.mintProofs(300n)
    expect(sum(proofs)).toBe(300n)
    const longAgo = BigInt(Math.floor(Date.now() / 1000) - 4 * 365 * 86_400)
    const quote = await t.mint.createMeltQuote({ request: externalInvoice(100n, longAgo), unit: 'sat' })
    const result = await t.mint.melt({ quote: quote.quote, inputs: proofs })
    expect(result.state).toBe('PAID')
    expect(result.payment_preimage).toBe('0'.repeat(64))
  })

  it('releases the proofs when a payment definitely fails', async () => {
    t = await startTestMint(kind)
    const quote = await t.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
    const proofs = await t.mintProofs(128n)
    t.lightning.paymentOutcome = 'FAILED'
    expect(await errorCode(t.mint.melt({ quote: quote.quote, inputs: proofs }))).toBe(
      ErrorCode.LIGHTNING_PAYMENT_FAILED,
    )
    expect((await t.mint.checkState(ysOf(proofs))).states.every((s) => s.state === 'UNSPENT')).toBe(true)
    expect((await t.mint.getMeltQuote(quote.quote)).state).toBe('UNPAID')
    t.lightning.paymentOutcome = 'PAID'
    expect((await t.mint.melt({ quote: quote.quote, inputs: proofs })).state).toBe('PAID')
  })

  it('keeps proofs pending while the outcome is unknown, then settles it either way', async () => {
    let now = Date.now()
    t = await startTestMint(kind, { clock: { nowMs: () => now } })
    for (const outcome of ['PAID', 'FAILED'] as const) {
      const quote = await t.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
      const proofs = await t.mintProofs(128n)
      t.lightning.paymentOutcome = 'ERROR'
      const pending = await t.mint.melt({ quote: quote.quote, inputs: proofs })
      expect(pending.state).toBe('PENDING')
      expect((await t.mint.checkState(ysOf(proofs))).states.every((s) => s.state === 'PENDING')).toBe(true)
      expect(
        await errorCode(
          t.mint.swap({ inputs: proofs, outputs: outputsFor(curve, t.keysetId, 127n).outputs }),
        ),
      ).toBe(ErrorCode.PROOFS_PENDING)
      // The backend lost the call but reports the payment as in flight: nothing may change yet.
      const hash = (await t.store.getMeltQuote(quote.quote))?.paymentHash as string
      t.lightning.resolvePayment(hash, { status: 'PENDING' })
      expect((await t.mint.getMeltQuote(quote.quote)).state).toBe('PENDING')
      t.lightning.resolvePayment(
        hash,
        outcome === 'PAID'
          ? { status: 'PAID', preimage: '11'.repeat(32), feeMsat: 2000n }
          : { status: 'FAILED', reason: 'no route' },
      )
      if (outcome === 'FAILED') {
        // A failure right after the payment started may be a pay call still on its way: wait.
        expect((await t.mint.recover()).stillPending).toBe(1)
        now += 60_000
      }
      const report = await t.mint.recover()
      expect(report.checked).toBe(1)
      const settled = await t.mint.getMeltQuote(quote.quote)
      expect(settled.state).toBe(outcome === 'PAID' ? 'PAID' : 'UNPAID')
      const expected = outcome === 'PAID' ? 'SPENT' : 'UNSPENT'
      expect((await t.mint.checkState(ysOf(proofs))).states.every((s) => s.state === expected)).toBe(true)
      t.lightning.paymentOutcome = 'PAID'
    }
  })

  it('enforces P2PK locks (SIG_INPUTS and SIG_ALL) and returns the witness in checkstate', async () => {
    t = await startTestMint(kind)
    const secretKey = Uint8Array.from(randomBytes(32))
    const pubkey = `02${bytesToHex(schnorr.getPublicKey(secretKey))}`
    const lock = (flag: string) => () =>
      JSON.stringify([
        'P2PK',
        { nonce: bytesToHex(randomBytes(16)), data: pubkey, tags: [['sigflag', flag]] },
      ])
    for (const flag of ['SIG_INPUTS', 'SIG_ALL']) {
      // Each proof has its own nonce; SIG_ALL needs only kind, data and tags to match.
      const locked = blindOutputs(curve, t.keysetId, [32n, 32n], lock(flag))
      const proofs = await t.mintProofs(64n, locked)
      const outputs = outputsFor(curve, t.keysetId, 63n).outputs
      expect(await errorCode(t.mint.swap({ inputs: proofs, outputs }))).toBe(
        ErrorCode.PROOF_VERIFICATION_FAILED,
      )
      const sign = (message: string) =>
        bytesToHex(schnorr.sign(sha256(new TextEncoder().encode(message)), secretKey))
      const signed =
        flag === 'SIG_INPUTS'
          ? proofs.map((p) => ({ ...p, witness: JSON.stringify({ signatures: [sign(p.secret)] }) }))
          : proofs.map((p, i) =>
              i === 0
                ? {
                    ...p,
                    witness: JSON.stringify({
                      signatures: [sign(sigAllMessage({ inputs: proofs, outputs }))],
                    }),
                  }
                : p,
            )
      expect(sum((await t.mint.swap({ inputs: signed, outputs })).signatures)).toBe(63n)
      const [state] = (await t.mint.checkState(ysOf(signed).slice(0, 1))).states
      expect(state?.witness).toBe(signed[0]?.witness)
    }
  })

  it('requires the quote key’s signature for NUT-20 locked quotes', async () => {
    t = await startTestMint(kind)
    const secretKey = Uint8Array.from(randomBytes(32))
    const pubkey = `02${bytesToHex(schnorr.getPublicKey(secretKey))}`
    const quote = await t.mint.createMintQuote({ amount: 8n, unit: 'sat', pubkey })
    expect(quote.pubkey).toBe(pubkey)
    await waitFor(async () => (await t.mint.getMintQuote(quote.quote)).state === 'PAID')
    const outputs = outputsFor(curve, t.keysetId, 8n).outputs
    expect(await errorCode(t.mint.mint({ quote: quote.quote, outputs }))).toBe(
      ErrorCode.QUOTE_SIGNATURE_INVALID,
    )
    const message = quote.quote + outputs.map((o) => o.B_).join('')
    const signature = bytesToHex(schnorr.sign(sha256(new TextEncoder().encode(message)), secretKey))
    expect(sum((await t.mint.mint({ quote: quote.quote, outputs, signature })).signatures)).toBe(8n)
  })

  it('mints several quotes in one batch (NUT-29) and refuses duplicates', async () => {
    t = await startTestMint(kind)
    const quotes = [
      await t.mint.createMintQuote({ amount: 3n, unit: 'sat' }),
      await t.mint.createMintQuote({ amount: 5n, unit: 'sat' }),
    ]
    await waitFor(async () =>
      (await t.mint.checkMintQuotes(quotes.map((q) => q.quote))).every((q) => q.state === 'PAID'),
    )
    const ids = quotes.map((q) => q.quote)
    expect(
      await errorCode(
        t.mint.mintBatch({
          quotes: [ids[0] as string, ids[0] as string],
          outputs: outputsFor(curve, t.keysetId, 6n).outputs,
        }),
      ),
    ).toBe(ErrorCode.DUPLICATE_QUOTE_IDS)
    const { signatures } = await t.mint.mintBatch({
      quotes: ids,
      outputs: outputsFor(curve, t.keysetId, 8n).outputs,
    })
    expect(sum(signatures)).toBe(8n)
    expect((await t.mint.checkMintQuotes(ids)).map((q) => q.state)).toEqual(['ISSUED', 'ISSUED'])
  })

  it('rotates keysets: old ecash stays spendable, old keysets sign nothing new', async () => {
    t = await startTestMint(kind, { settings: { ...testSettings, v1KeysetIds: true } })
    const old = await t.mintProofs(24n)
    const v1 = t.mint.keysets().keysets.find((k) => k.id.startsWith('00'))?.id as string
    const viaV1 = await t.mint.swap({
      inputs: old.slice(0, 1),
      outputs: outputsFor(curve, v1, (old[0]?.amount ?? 0n) - 1n).outputs,
    })
    expect(viaV1.signatures.every((s) => s.id === v1)).toBe(true)
    await t.mint.rotateKeyset({ unit: 'sat', inputFeePpk: 0n })
    const active = t.mint.keysets().keysets.filter((k) => k.active)
    expect(active.map((k) => k.id)).not.toContain(t.keysetId)
    expect(t.mint.keysets().keysets.map((k) => k.id)).toContain(t.keysetId)
    const rest = old.slice(1)
    expect(
      await errorCode(
        t.mint.swap({
          inputs: rest,
          outputs: outputsFor(curve, t.keysetId, sum(rest) - feeFor(rest)).outputs,
        }),
      ),
    ).toBe(ErrorCode.KEYSET_INACTIVE)
    const newId = active.find((k) => k.id.startsWith('01'))?.id as string
    const swapped = await t.mint.swap({
      inputs: rest,
      outputs: outputsFor(curve, newId, sum(rest) - feeFor(rest)).outputs,
    })
    expect(swapped.signatures.every((s) => s.id === newId)).toBe(true)
  })

  it('refuses to mint a quote that expired unpaid (20007), but mints a paid one after expiry', async () => {
    let now = Date.now()
    t = await startTestMint(kind, { clock: { nowMs: () => now } })
    t.lightning.autoPay = false
    const unpaid = await t.mint.createMintQuote({ amount: 4n, unit: 'sat' })
    t.lightning.autoPay = true
    const paid = await t.mint.createMintQuote({ amount: 4n, unit: 'sat' })
    await waitFor(async () => (await t.mint.getMintQuote(paid.quote)).state === 'PAID')
    now += 3600 * 1000
    expect(
      await errorCode(
        t.mint.mint({ quote: unpaid.quote, outputs: outputsFor(curve, t.keysetId, 4n).outputs }),
      ),
    ).toBe(ErrorCode.QUOTE_EXPIRED)
    expect(
      (await t.mint.mint({ quote: paid.quote, outputs: outputsFor(curve, t.keysetId, 4n).outputs }))
        .signatures,
    ).toHaveLength(1)
  })

  it('refuses inputs of an expired keyset', async () => {
    let now = Date.now()
    t = await startTestMint(kind, {
      clock: { nowMs: () => now },
      keysets: [{ unit: 'sat', inputFeePpk: 0n, finalExpiry: BigInt(Math.floor(now / 1000) + 3600) }],
    })
    const proofs = await t.mintProofs(8n)
    now += 2 * 3600 * 1000
    expect(
      await errorCode(t.mint.swap({ inputs: proofs, outputs: outputsFor(curve, t.keysetId, 8n).outputs })),
    ).toBe(ErrorCode.KEYSET_EXPIRED)
  })

  it('answers every validation failure with its NUT code', async () => {
    t = await startTestMint(kind, {
      settings: {
        ...testSettings,
        limits: { maxInputs: 3, maxOutputs: 4 },
        units: {
          sat: {
            mint: { enabled: true, descriptionAllowed: false, minAmount: 2n, maxAmount: 5000n },
            melt: { enabled: true },
          },
        },
      },
    })
    expect(await errorCode(t.mint.createMintQuote({ amount: 1n, unit: 'sat' }))).toBe(
      ErrorCode.AMOUNT_OUT_OF_LIMIT_RANGE,
    )
    expect(await errorCode(t.mint.createMintQuote({ amount: 5001n, unit: 'sat' }))).toBe(
      ErrorCode.AMOUNT_OUT_OF_LIMIT_RANGE,
    )
    const proofs = await t.mintProofs(15n)
    expect(proofs).toHaveLength(4)
    const swapTo = (inputs: Proof[], amounts: bigint[]) =>
      errorCode(t.mint.swap({ inputs, outputs: blindOutputs(curve, t.keysetId, amounts).outputs }))
    expect(await swapTo(proofs, [8n, 4n, 2n])).toBe(ErrorCode.MAX_INPUTS_EXCEEDED)
    const three = proofs.slice(0, 3)
    expect(await swapTo(three, [1n, 1n, 1n, 1n, 2n])).toBe(ErrorCode.MAX_OUTPUTS_EXCEEDED)
    expect(await swapTo([three[0] as Proof, three[0] as Proof], [1n])).toBe(ErrorCode.DUPLICATE_INPUTS)
    expect(await swapTo(three, [3n, 2n])).toBe(ErrorCode.MALFORMED_REQUEST)
    const quote = await t.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
    expect(await errorCode(t.mint.melt({ quote: quote.quote, inputs: three }))).toBe(
      ErrorCode.TRANSACTION_UNBALANCED,
    )
    expect(await errorCode(t.mint.createMeltQuote({ request: 'lnbc1nonsense', unit: 'sat' }))).toBe(
      ErrorCode.MALFORMED_REQUEST,
    )
    const testnet = encodeBolt11({
      network: 'testnet',
      amountMsat: 1000n,
      timestamp: BigInt(Math.floor(Date.now() / 1000)),
      expirySeconds: 60n,
      paymentHash: bytesToHex(randomBytes(32)),
      paymentSecret: bytesToHex(randomBytes(32)),
      nodeKey: Uint8Array.from(randomBytes(32)),
    })
    expect(await errorCode(t.mint.createMeltQuote({ request: testnet, unit: 'sat' }))).toBe(
      ErrorCode.MALFORMED_REQUEST,
    )
  })

  it('quotes part of an invoice (NUT-15) and pays asynchronously when asked (prefer_async)', async () => {
    t = await startTestMint(kind)
    const quote = await t.mint.createMeltQuote({
      request: externalInvoice(1000n),
      unit: 'sat',
      options: { mpp: { amount: 400_000n } },
    })
    expect(quote.amount).toBe(400n)
    expect((await t.store.getMeltQuote(quote.quote))?.amountMsat).toBe(400_000n)
    const proofs = await t.mintProofs(512n)
    const early = await t.mint.melt({ quote: quote.quote, inputs: proofs, prefer_async: true })
    expect(early.state).toBe('PENDING')
    await waitFor(async () => (await t.mint.getMeltQuote(quote.quote)).state === 'PAID')
    expect((await t.mint.checkState(ysOf(proofs))).states.every((s) => s.state === 'SPENT')).toBe(true)
  })

  it('answers PENDING when the payment outlasts the wait, and settles it later', async () => {
    t = await startTestMint(kind, {
      settings: { ...testSettings, meltWaitMs: 50 },
      lightning: new FakeWallet({ autoPayDelayMs: 300 }),
    })
    const quote = await t.mint.createMeltQuote({ request: externalInvoice(100n), unit: 'sat' })
    const proofs = await t.mintProofs(128n)
    expect((await t.mint.melt({ quote: quote.quote, inputs: proofs })).state).toBe('PENDING')
    await waitFor(async () => (await t.mint.getMeltQuote(quote.quote)).state === 'PAID')
    expect((await t.mint.checkState(ysOf(proofs))).states.every((s) => s.state === 'SPENT')).toBe(true)
  })

  it('spends HTLC-locked ecash with the preimage', async () => {
    t = await startTestMint(kind)
    const preimage = randomBytes(32)
    const lock = () =>
      JSON.stringify([
        'HTLC',
        { nonce: bytesToHex(randomBytes(16)), data: bytesToHex(sha256(preimage)), tags: [] },
      ])
    const proofs = await t.mintProofs(8n, blindOutputs(curve, t.keysetId, [8n], lock))
    const outputs = outputsFor(curve, t.keysetId, 7n).outputs
    expect(await errorCode(t.mint.swap({ inputs: proofs, outputs }))).toBe(
      ErrorCode.PROOF_VERIFICATION_FAILED,
    )
    const witness = JSON.stringify({ preimage: bytesToHex(preimage) })
    const unlocked = proofs.map((p) => ({ ...p, witness }))
    expect(sum((await t.mint.swap({ inputs: unlocked, outputs })).signatures)).toBe(7n)
  })
})
