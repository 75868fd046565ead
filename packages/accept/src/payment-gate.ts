/**
 * NUT-24 (HTTP 402) without a web framework: what to answer a request for a paid resource, and how
 * to give the price back when it could not be served. The Hono middleware (paywall.ts) and the
 * Fastify hooks (fastify-paywall.ts) are thin adapters over this.
 *
 * A request without a token gets 402 with an `X-Cashu` header holding a NUT-18 payment request
 * (amount, unit, the accepted mint). A request with a cashuB token in `X-Cashu` is redeemed before it
 * is served; a token that is not good enough (wrong unit, too little, already spent, another mint)
 * gets 400 `{detail, code}`, as NUT-24 asks. The receipt id goes back in `X-Cashu-Receipt` and any
 * change in `X-Cashu-Change`; a refund joins the change there, so a failed request costs the payer
 * nothing but the input fee.
 *
 * Each request redeems with its own idempotency key and retries a failed call once with it, so a
 * lost answer from a remote mint neither loses the payment nor lets the token pay twice.
 *
 * A metered price (`metered: true`) is the most a request may cost: the token is held for it
 * (holds), the handler says what the request cost, and the hold settles for that, the rest coming
 * back in `X-Cashu-Change`; `X-Cashu-Hold` and `X-Cashu-Claim` let the payer collect it at the mint
 * should the service never settle (the hold gives everything back when it expires).
 *
 * With `privateKey` the payment request asks for ecash locked to the payee's key (NUT-10/11 P2PK in
 * the request's `nut10`), and the gate signs those proofs before redeeming them: a token copied on
 * its way (a proxy's log, a leaked header) is worth nothing to anyone else.
 */
import { p2pkPublicKey, signLockedProofs } from '@cashu-mint/core/conditions'
import type { Receipt } from '@cashu-mint/core/mint'
import { ErrorCode, MintError } from '@cashu-mint/core/protocol'
import {
  decodeToken,
  encodePaymentRequest,
  encodeTokenV4,
  normalizeMintUrl,
  type Token,
} from '@cashu-mint/core/token'
import type { HoldResult, Redeemer, RedeemResult } from './redeemer.ts'

export interface Price {
  /** The price; metered, the most a request may cost. */
  amount: bigint
  unit: string
  /** The request's cost is known after it is served: the handler reports it (Payment.settle). */
  metered?: boolean | undefined
}

/** How long a metered request's hold lasts unsettled before it gives everything back. */
const METERED_HOLD_SECONDS = 3600n

export interface PaymentGateOptions {
  redeemer: Redeemer
  /** The mint tokens must come from (its public URL). */
  mintUrl: string
  /** Shown to the payer in the payment request. */
  description?: string
  /** The payee's secp256k1 key (hex): payers lock to its public key, the gate signs (SIG_INPUTS). */
  privateKey?: string
}

/** The answer to a request that is not served: status, headers and a `{detail, code}` body. */
export interface Refusal {
  paid: false
  status: 400 | 402 | 503
  headers: Record<string, string>
  body: { detail: string; code: number }
}

/** A paid request: serve it with `headers` on the answer; `refund` when it could not be served. */
export interface Payment {
  paid: true
  /** The receipt (metered: of the hold, for the most the request may cost). */
  receipt: Receipt
  headers: Record<string, string>
  /** Gives the price back and returns the headers to answer with instead (the change and the refund). */
  refund(reason: string): Promise<Record<string, string>>
  /** Metered: keeps `cost` of the hold and returns the headers to answer with (the change and the rest). */
  settle(cost: bigint): Promise<Record<string, string>>
}

export interface PaymentGate {
  /** Checks the token of a request (the `X-Cashu` header's value) against the price. */
  charge(token: string | undefined, price: Price): Promise<Refusal | Payment>
}

const refusal = (status: Refusal['status'], code: number, detail: string, headers = {}): Refusal => ({
  paid: false,
  status,
  headers,
  body: { detail, code },
})

/** Runs an idempotent call, and once more if its answer was lost rather than refused. */
async function twice<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt()
  } catch (error) {
    if (error instanceof MintError) throw error
    return attempt()
  }
}

/** One token holding the proofs of both (same mint and unit). */
function joinTokens(first: string | null, second: string): string {
  if (first === null) return second
  const a = decodeToken(first)
  return encodeTokenV4({ ...a, proofs: [...a.proofs, ...decodeToken(second).proofs] })
}

export function createPaymentGate(options: PaymentGateOptions): PaymentGate {
  const mint = normalizeMintUrl(options.mintUrl)
  const { privateKey, redeemer } = options
  const lock = privateKey === undefined ? undefined : { k: 'P2PK', d: p2pkPublicKey(privateKey) }
  return {
    async charge(header, price) {
      const token = header?.trim()
      if (!token) {
        const request = encodePaymentRequest({
          a: price.amount,
          u: price.unit,
          m: [mint],
          ...(options.description ? { d: options.description } : {}),
          ...(lock ? { nut10: lock } : {}),
        })
        return refusal(402, 402, `payment required: ${price.amount} ${price.unit}`, { 'X-Cashu': request })
      }
      let paid: Token
      try {
        paid = decodeToken(token)
      } catch (error) {
        return refusal(400, ErrorCode.MALFORMED_REQUEST, `token: invalid token: ${(error as Error).message}`)
      }
      if (normalizeMintUrl(paid.mint) !== mint)
        return refusal(400, ErrorCode.MALFORMED_REQUEST, `token: tokens are accepted from ${mint} only`)
      const unlocked =
        privateKey === undefined
          ? token
          : encodeTokenV4({ ...paid, proofs: signLockedProofs(paid.proofs, privateKey) })
      let result: RedeemResult | HoldResult
      const key = crypto.randomUUID()
      const { amount, unit } = price
      try {
        result = await twice<RedeemResult | HoldResult>(() =>
          price.metered
            ? redeemer.hold(unlocked, { max: amount, unit, key, ttlSeconds: METERED_HOLD_SECONDS })
            : redeemer.redeem(unlocked, { amount, unit, key }),
        )
      } catch (error) {
        if (error instanceof MintError) return refusal(400, error.code, error.message)
        return refusal(503, 0, 'the payment could not be checked now; try again')
      }
      const { receipt } = result
      const change = 'token' in result.change ? result.change.token : null
      const headers: Record<string, string> = { 'X-Cashu-Receipt': receipt.id }
      if ('claim' in result)
        Object.assign(headers, { 'X-Cashu-Hold': receipt.id, 'X-Cashu-Claim': result.claim })
      if (change) headers['X-Cashu-Change'] = change
      const settle = async (keep: bigint) => {
        const settled = await twice(() => redeemer.settle(receipt.id, { keep }))
        return settled.token ? { ...headers, 'X-Cashu-Change': joinTokens(change, settled.token) } : headers
      }
      return {
        paid: true,
        receipt,
        headers,
        async refund(reason) {
          if (price.metered) return settle(0n)
          const refund = await twice(() => redeemer.refund(receipt.id, { reason }))
          return { ...headers, 'X-Cashu-Change': joinTokens(change, refund.token) }
        },
        async settle(cost) {
          if (!price.metered) throw new Error('settle is for metered prices')
          if (cost < 0n || cost > amount)
            throw new Error(`a metered request costs 0 to ${amount}, not ${cost}`)
          return settle(cost)
        },
      }
    },
  }
}
