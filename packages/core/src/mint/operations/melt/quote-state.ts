/**
 * NUT-05 `GET /v1/melt/quote/{method}/{id}`: the quote as the wallet sees it, with its change once
 * paid. A PENDING one is first checked against the backend (recovery.ts), so a wallet polling its
 * melt learns the outcome even when the payment finished after the melt request answered.
 */
import type { MeltQuoteBolt11Response } from '../../../protocol/schemas/nut05-melt.ts'
import type { MintContext } from '../../context/mint-context.ts'
import { findMeltQuote, toMeltQuoteResponse } from '../../quotes/melt-quotes.ts'
import { recoverSaga } from './recovery.ts'
import { meltQuoteWithChange } from './settle.ts'

export async function meltQuoteState(
  ctx: MintContext,
  method: string | undefined,
  id: string,
): Promise<MeltQuoteBolt11Response> {
  const quote = await findMeltQuote(ctx, id, method)
  if (quote.state !== 'PENDING') return meltQuoteWithChange(ctx, quote)
  const saga = await ctx.store.findMeltSaga(id)
  if (saga?.state !== 'PENDING') return toMeltQuoteResponse(quote)
  return recoverSaga(ctx, saga, quote)
}
