/**
 * A small API that costs ecash per request: GET /joke is behind the NUT-24 paywall, GET /receipts
 * lists what it has been paid (in memory, for the demo). Nothing here knows who paid: the mint
 * only sees a token being redeemed, and the API only sees a receipt.
 */
import { cashuPaywall, type Price, type Redeemer } from '@cashu-mint/accept'
import type { Receipt } from '@cashu-mint/core/mint'
import { stringifyJson } from '@cashu-mint/core/protocol'
import { Hono } from 'hono'

const JOKES = [
  'Why did the satoshi cross the road? It was routed there.',
  'Ecash walks into a bar. Nobody knows who paid.',
  'My mint and I have a blind relationship: it signs without looking.',
]

export function createPaidApi(options: {
  redeemer: Redeemer
  mintUrl: string
  price: Price
  /** The API's key: payers lock their ecash to it (see cashuPaywall). */
  privateKey?: string
}): Hono {
  const receipts: Receipt[] = []
  const app = new Hono()
  app.get('/', (c) =>
    c.text(
      `GET /joke costs ${options.price.amount} ${options.price.unit} in ecash from ${options.mintUrl}\n`,
    ),
  )
  app.get('/joke', cashuPaywall({ ...options, description: 'one joke' }), (c) => {
    const receipt = c.get('cashuReceipt')
    receipts.push(receipt)
    const joke = JOKES[receipts.length % JOKES.length]
    return c.body(stringifyJson({ joke, receipt }), 200, { 'content-type': 'application/json' })
  })
  app.get('/receipts', (c) => c.body(stringifyJson(receipts), 200, { 'content-type': 'application/json' }))
  return app
}
