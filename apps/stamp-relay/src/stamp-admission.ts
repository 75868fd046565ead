/**
 * Whether a nostr event may enter the relay: it must carry an ecash stamp for this mint, in the
 * relay's unit, worth at least the relay's price for its kind, in a `["cashu", "<token>"]` tag
 * (the tag is signed with the event, so a stamp taken off one event cannot be put on another). The
 * stamp is redeemed whole (a stamp has no change) with the event id as the idempotency key: the
 * same event sent again (a client retrying, the relay asking again for an event it stores) is let
 * in without paying twice, and the same token on another event is refused as spent. A token locked
 * to the relay's key (NUT-11 P2PK) is signed here before it is redeemed, so a stamp read off the
 * relay's stored events is worth nothing to anyone else.
 *
 * A refusal's message is what the client reads after nostr-rs-relay's own `blocked: ` prefix.
 */
import type { Redeemer } from '@cashu-mint/accept'
import { signLockedProofs } from '@cashu-mint/core/conditions'
import { ErrorCode, MintError } from '@cashu-mint/core/protocol'
import { decodeToken, encodeTokenV4, normalizeMintUrl, type Token } from '@cashu-mint/core/token'

/** The relay's prices: per event kind, and for every other kind. 0 lets a kind in free. */
export interface StampPrices {
  unit: string
  default: bigint
  kinds?: Readonly<Record<number, bigint>>
}

export interface StampAdmissionOptions {
  redeemer: Redeemer
  /** The mint stamps must come from (its public URL). */
  mintUrl: string
  prices: StampPrices
  /** The relay's key (hex): stamps may be locked to its public key. */
  privateKey?: string | undefined
}

/** What the relay needs of an event. */
export interface StampedEvent {
  id: string
  kind: number
  tags: readonly (readonly string[])[]
}

export type Admission =
  | { admit: true; receiptId: string | null; amount: bigint }
  | { admit: false; reason: string }

const STAMP_TAG = 'cashu'

export const priceOf = (prices: StampPrices, kind: number): bigint => prices.kinds?.[kind] ?? prices.default

/** The reason a client reads for a refusal of the mint. */
function refusalReason(error: MintError, price: bigint, unit: string): string {
  switch (error.code) {
    case ErrorCode.PROOFS_ALREADY_SPENT:
      return 'token already spent'
    case ErrorCode.TRANSACTION_UNBALANCED:
      return `payment required: ${price} ${unit} (the stamp is worth less)`
    case ErrorCode.PROOFS_PENDING:
      return 'token in use by another payment'
    default:
      return `invalid stamp: ${error.message}`
  }
}

export function createStampAdmission(options: StampAdmissionOptions) {
  const mint = normalizeMintUrl(options.mintUrl)
  const { prices, redeemer } = options
  const required = (price: bigint) =>
    `payment required: ${price} ${prices.unit} (a ["${STAMP_TAG}", token] tag with ecash from ${mint})`

  return async function admit(event: StampedEvent): Promise<Admission> {
    const price = priceOf(prices, event.kind)
    if (price === 0n) return { admit: true, receiptId: null, amount: 0n }
    const serialized = event.tags.find((tag) => tag[0] === STAMP_TAG)?.[1]
    if (!serialized) return { admit: false, reason: required(price) }
    let token: Token
    try {
      token = decodeToken(serialized.trim())
    } catch (error) {
      return { admit: false, reason: `invalid stamp: ${(error as Error).message}` }
    }
    if (normalizeMintUrl(token.mint) !== mint)
      return { admit: false, reason: `stamp from another mint: stamps of ${mint} only` }
    if ((token.unit ?? 'sat') !== prices.unit)
      return { admit: false, reason: `stamp in ${token.unit ?? 'sat'}: the fee is in ${prices.unit}` }
    const unlocked =
      options.privateKey === undefined
        ? serialized
        : encodeTokenV4({ ...token, proofs: signLockedProofs(token.proofs, options.privateKey) })
    try {
      const { receipt } = await redeemer.redeem(unlocked, {
        amount: price,
        unit: prices.unit,
        key: `nostr:${event.id}`,
        memo: `nostr event ${event.id} of kind ${event.kind}`,
        whole: true,
      })
      return { admit: true, receiptId: receipt.id, amount: receipt.amount }
    } catch (error) {
      if (error instanceof MintError)
        return { admit: false, reason: refusalReason(error, price, prices.unit) }
      // The mint could not be asked: refuse now, the client may send the event again.
      return { admit: false, reason: 'the stamp could not be checked now; try again' }
    }
  }
}
