/**
 * A mint being taken over, as its reader (nutshell-source.ts, cdk-source.ts) gives it: keysets as
 * this mint records them, its quotes, its spent and pending proofs, its blind signatures, the melts
 * it left in flight and its own books. Small tables are read at once; the large ones stream.
 */
import type { KeysetRecord, MeltQuoteRecord, MintQuoteRecord } from '@cashu-mint/core/mint'

export interface SourceProof {
  y: string
  keysetId: string
  amount: bigint
  secret: string
  /** The unblinded signature; Nutshell 0.21 stores none for a melt's inputs (empty). */
  C: string
  witness: string | null
  /** The melt that reserved or spent it, if a melt did. */
  meltQuoteId: string | null
}

export interface SourceSignature {
  B_: string
  keysetId: string
  amount: bigint
  C_: string
}

/** A NUT-08 blank output of a melt still in flight, not signed yet. */
export interface SourceOutput {
  B_: string
  keysetId: string
  amount: bigint
}

export interface SourcePendingMelt {
  quoteId: string
  /** Its reserved inputs. */
  inputs: SourceProof[]
  outputs: SourceOutput[]
  /** The NUT-02 input fee the old mint charged it, where it kept it; else computed from the keysets. */
  inputFee: bigint | undefined
}

/** What the old mint's books said of a keyset, to check the imported rows against. */
export interface SourceBook {
  keysetId: string
  unit: string
  /** Input fees earned. */
  fees: bigint
  /**
   * Nutshell keeps `balance` (signed - spent - reserved); CDK keeps what it issued and redeemed
   * (reserved proofs not counted).
   */
  check: { balance: bigint } | { issued: bigint; redeemed: bigint }
}

export interface MintSource {
  /** What was read, for messages and the record: `nutshell 0.21 (schema 39)`. */
  label: string
  /** Recorded as the quotes' backend: a name no backend has, so each is served by its method and unit's. */
  backendName: string
  /** Names the source as it is now: rows, sums and books. */
  fingerprint: string
  keysets: KeysetRecord[]
  books: SourceBook[]
  pendingMelts: SourcePendingMelt[]
  /** Rows per table, for the dry run. */
  counts: Record<string, bigint>
  mintQuotes(): AsyncIterable<MintQuoteRecord[]>
  meltQuotes(): AsyncIterable<MeltQuoteRecord[]>
  /** The spent proofs (the pending ones are the pending melts' inputs). */
  spentProofs(): AsyncIterable<SourceProof[]>
  signatures(): AsyncIterable<SourceSignature[]>
}
