/**
 * The walkthrough's client, a cashu-ts wallet: tops up at the mint (the FakeWallet pays the invoice
 * by itself), calls the API, gets 402 with a payment request, pays it with a token (locked to the
 * API's key when the request asks for that), gets the joke.
 *
 *   pnpm --filter @cashu-mint/example-paid-api client [api url] [mint url]
 */
import { decodePaymentRequest, getEncodedToken, Wallet } from '@cashu/cashu-ts'

export async function payForJoke(apiUrl: string, mintUrl: string, log: (line: string) => void) {
  const wallet = new Wallet(mintUrl, { unit: 'sat' })
  await wallet.loadMint()
  const quote = await wallet.createMintQuoteBolt11(100)
  log(`1. top up 100 sat: pay ${quote.request.slice(0, 24)}… (the FakeWallet pays it by itself)`)
  await wallet.on.onceMintPaid(quote.quote, { timeoutMs: 30_000 })
  const proofs = await wallet.mintProofsBolt11(100, quote.quote)
  log(`   minted ${proofs.length} proofs`)

  const unpaid = await fetch(`${apiUrl}/joke`)
  const request = decodePaymentRequest(unpaid.headers.get('X-Cashu') ?? '')
  log(
    `2. GET /joke -> ${unpaid.status}, asks for ${request.amount} ${request.unit} from ${request.mints?.join(', ')}`,
  )

  const amount = Number(request.amount?.toBigInt() ?? 0n)
  const lock = request.toP2PKOptions()
  const { send } = lock
    ? await wallet.ops.send(amount, proofs).asP2PK(lock).includeFees(true).run()
    : await wallet.send(amount, proofs, { includeFees: true })
  if (lock) log(`   locked to the API's key ${lock.pubkey.toString().slice(0, 12)}…`)
  const token = getEncodedToken({ mint: mintUrl, unit: request.unit ?? 'sat', proofs: send })
  const paid = await fetch(`${apiUrl}/joke`, { headers: { 'X-Cashu': token } })
  const body = (await paid.json()) as { joke: string; receipt: { id: string; amount: number } }
  log(`3. GET /joke with X-Cashu -> ${paid.status}: ${body.joke}`)
  log(`   receipt ${body.receipt.id} for ${body.receipt.amount} ${request.unit}`)

  const replay = await fetch(`${apiUrl}/joke`, { headers: { 'X-Cashu': token } })
  log(`4. the same token again -> ${replay.status}: ${((await replay.json()) as { detail: string }).detail}`)
  return { unpaid: unpaid.status, paid: paid.status, replay: replay.status, receipt: body.receipt }
}

if (import.meta.main) {
  const [apiUrl = 'http://127.0.0.1:8080', mintUrl = 'http://127.0.0.1:3338'] = process.argv.slice(2)
  await payForJoke(apiUrl, mintUrl, console.log)
}
