/**
 * A MintSource made into what the store writes (MintImport), checked on the way: every keyset must
 * derive from this mint's seed under the id its wallets hold, every blind signature must be what
 * this mint's key gives for its B_ (re-signed, which also yields the NUT-12 DLEQ Nutshell does not
 * keep), and once everything is read, the rows must add up to the old mint's own books. Melts the old
 * mint left in flight become this mint's pending melts, their grace counted from the import, and
 * are settled by this mint's payment backend like its own.
 */
import type { CurveBackend } from '@cashu-mint/core/crypto'
import type { MintSeed } from '@cashu-mint/core/keys'
import {
  DerivedKeysets,
  type MeltSagaRecord,
  newId,
  type ProofRecord,
  type SignatureRecord,
} from '@cashu-mint/core/mint'
import { type ImportedBook, ImportRefusedError, type MintImport } from '@cashu-mint/storage'
import type { MintSource, SourceProof, SourceSignature } from './mint-source.ts'
import { SourceError } from './source-database.ts'

/** Per keyset, what the imported rows add up to. */
export interface KeysetTally {
  signed: bigint
  spent: bigint
  pending: bigint
  signatures: number
  proofs: number
}

/** A keyset's outstanding ecash as the old mint's books give it and as this mint will count it. */
export interface KeysetSummary {
  keysetId: string
  unit: string
  active: boolean
  tally: KeysetTally
  /** From the old mint's books (Nutshell: balance + reserved; CDK: issued - redeemed). */
  outstandingBefore: bigint
  /** signed - spent, as this mint's balance report counts it (reserved proofs still owed). */
  outstandingAfter: bigint
  fees: bigint
}

export interface TakeOver {
  data: MintImport
  /** After the rows were read: each keyset's figures (throws if they disagree with the old books). */
  summary(): KeysetSummary[]
}

const emptyTally = (): KeysetTally => ({ signed: 0n, spent: 0n, pending: 0n, signatures: 0, proofs: 0 })

/** The fee NUT-02 charges for inputs: ceil(sum of their keysets' ppk / 1000). */
const inputFeeOf = (inputs: readonly SourceProof[], feeOf: (keysetId: string) => bigint) =>
  (inputs.reduce((sum, proof) => sum + feeOf(proof.keysetId), 0n) + 999n) / 1000n

export function takeOver(
  source: MintSource,
  options: {
    seed: MintSeed
    curve: CurveBackend
    now: bigint
    /** Asked again just before the commit: the old mint must not have started meanwhile. */
    assertQuiet: () => Promise<void>
  },
): TakeOver {
  let keys: DerivedKeysets
  try {
    keys = new DerivedKeysets(options.curve, options.seed, source.keysets)
  } catch (error) {
    throw new SourceError(
      `${(error as Error).message}. Give this mint the old mint's seed first: cashu-mint init --seed-from FILE`,
    )
  }
  const id = newId(Number(options.now) * 1000)
  const tallies = new Map(source.keysets.map((k) => [k.id, emptyTally()]))
  const tallyOf = (keysetId: string, what: string): KeysetTally => {
    const tally = tallies.get(keysetId)
    if (!tally) throw new SourceError(`${what} is of keyset ${keysetId}, which the old mint does not list`)
    return tally
  }
  const fees = new Map(source.keysets.map((k) => [k.id, k.inputFeePpk]))
  const feeOf = (keysetId: string): bigint => {
    const fee = fees.get(keysetId)
    if (fee === undefined)
      throw new SourceError(`a melt's input is of keyset ${keysetId}, which the old mint does not list`)
    return fee
  }
  const spentOperation = `import:${id}:spent`
  const signedOperation = `import:${id}:signed`

  const sagas: MeltSagaRecord[] = source.pendingMelts.map((melt) => ({
    id: newId(Number(options.now) * 1000),
    quoteId: melt.quoteId,
    state: 'PENDING',
    inputYs: melt.inputs.map((proof) => proof.y),
    outputs: melt.outputs.map((output) => ({ amount: output.amount, id: output.keysetId, B_: output.B_ })),
    inputAmount: melt.inputs.reduce((sum, proof) => sum + proof.amount, 0n),
    inputFee: melt.inputFee ?? inputFeeOf(melt.inputs, feeOf),
    // The grace before a "not found" may release them runs from the import: the old mint's pay
    // call may still be on its way.
    createdAt: options.now,
    updatedAt: options.now,
  }))

  const proofRecord = (proof: SourceProof, state: ProofRecord['state'], operationId: string): ProofRecord => {
    const tally = tallyOf(proof.keysetId, `proof ${proof.y}`)
    if (state === 'SPENT') tally.spent += proof.amount
    else tally.pending += proof.amount
    tally.proofs++
    return {
      y: proof.y,
      keysetId: proof.keysetId,
      amount: proof.amount,
      secret: proof.secret,
      C: proof.C,
      witness: proof.witness,
      state,
      operationId,
    }
  }

  async function* proofs(): AsyncIterable<ProofRecord[]> {
    for (const [i, melt] of source.pendingMelts.entries())
      yield melt.inputs.map((proof) => proofRecord(proof, 'PENDING', (sagas[i] as MeltSagaRecord).id))
    for await (const batch of source.spentProofs())
      yield batch.map((p) => proofRecord(p, 'SPENT', spentOperation))
  }

  /** Re-signs each B_ with this mint's key: the same C_ proves the key, and gives the DLEQ. */
  const resign = (batch: readonly SourceSignature[]): SignatureRecord[] => {
    for (const signature of batch) {
      const tally = tallyOf(signature.keysetId, `the signature on ${signature.B_}`)
      tally.signed += signature.amount
      tally.signatures++
    }
    return batch.map((signature) => {
      const { B_, keysetId, amount } = signature
      const signed = keys.sign({ amount, id: keysetId, B_ })
      if (!signed)
        throw new SourceError(`the signature on ${B_} is for ${amount}, which its keyset does not sign`)
      if (signed.C_ !== signature.C_)
        throw new SourceError(
          `the signature on ${B_} (keyset ${keysetId}) is not this seed's: the old mint signed it with another key`,
        )
      return { B_, keysetId, amount, ...signed, operationId: signedOperation }
    })
  }

  async function* signatures(): AsyncIterable<SignatureRecord[]> {
    for await (const batch of source.signatures()) yield resign(batch)
  }

  const summary = (): KeysetSummary[] =>
    source.keysets.map((keyset) => {
      const tally = tallies.get(keyset.id) ?? emptyTally()
      const book = source.books.find((b) => b.keysetId === keyset.id)
      const outstandingBefore = !book
        ? 0n
        : 'balance' in book.check
          ? book.check.balance + tally.pending
          : book.check.issued - book.check.redeemed
      return {
        keysetId: keyset.id,
        unit: keyset.unit,
        active: keyset.active,
        tally,
        outstandingBefore,
        outstandingAfter: tally.signed - tally.spent,
        fees: book?.fees ?? 0n,
      }
    })

  /** The rows against the old books, keyset by keyset. */
  async function books(): Promise<ImportedBook[]> {
    await options.assertQuiet()
    const figures = summary()
    for (const keyset of figures) {
      const book = source.books.find((b) => b.keysetId === keyset.keysetId)
      const agrees =
        !book ||
        ('balance' in book.check
          ? keyset.outstandingBefore === keyset.outstandingAfter
          : book.check.issued === keyset.tally.signed && book.check.redeemed === keyset.tally.spent)
      if (!agrees)
        throw new ImportRefusedError(
          `keyset ${keyset.keysetId}: the old mint's books say ${keyset.outstandingBefore} outstanding, its rows add up to ${keyset.outstandingAfter}: nothing was imported`,
        )
    }
    return figures.map((keyset) => ({
      keysetId: keyset.keysetId,
      unit: keyset.unit,
      issued: keyset.tally.signed,
      redeemed: keyset.tally.spent,
      fees: keyset.fees,
    }))
  }

  return {
    data: {
      id,
      source: source.label,
      fingerprint: source.fingerprint,
      keysets: source.keysets,
      mintQuotes: source.mintQuotes(),
      meltQuotes: source.meltQuotes(),
      sagas,
      proofs: proofs(),
      signatures: signatures(),
      books,
      importedAt: options.now,
    },
    summary,
  }
}
