/**
 * Requests of one kind go to the signer together: while a call of that kind is on its way, the
 * requests that arrive wait and then go as the next call (a busy mint's swaps, verified and signed
 * a few at once), so a call's cost, which for the client and the signer is more CPU than the few
 * points in it, is shared; an idle mint's request goes at once. An answer for a batch that cannot
 * be split (a refusal, a false verification) is asked again request by request, so each gets its
 * own; an outage fails them all.
 */
export interface CoalescedCall<Request, Response> {
  /** One request alone. */
  one(request: Request): Promise<Response>
  /** Several at once: their responses in order, or undefined when the batch must be asked one by one. */
  many(requests: Request[]): Promise<Response[] | undefined>
  /** A request's size (outputs, proofs): a call carries at most `limit` of them, or one request. */
  weight(request: Request): number
  limit: number
}

interface Waiting<Request, Response> {
  request: Request
  resolve(response: Response): void
  reject(error: unknown): void
}

export function coalesced<Request, Response>(
  call: CoalescedCall<Request, Response>,
): (request: Request) => Promise<Response> {
  const queue: Waiting<Request, Response>[] = []
  let busy = false

  /** The waiting requests up to the limit, at least one. */
  const take = (): Waiting<Request, Response>[] => {
    let weight = call.weight((queue[0] as Waiting<Request, Response>).request)
    let count = 1
    while (count < queue.length) {
      weight += call.weight((queue[count] as Waiting<Request, Response>).request)
      if (weight > call.limit) break
      count++
    }
    return queue.splice(0, count)
  }

  const send = async (batch: Waiting<Request, Response>[]): Promise<void> => {
    if (batch.length === 1) {
      const [only] = batch as [Waiting<Request, Response>]
      return call.one(only.request).then(only.resolve, only.reject)
    }
    let responses: Response[] | undefined
    try {
      responses = await call.many(batch.map((waiting) => waiting.request))
    } catch (error) {
      for (const waiting of batch) waiting.reject(error)
      return
    }
    if (responses) for (const [i, waiting] of batch.entries()) waiting.resolve(responses[i] as Response)
    else
      await Promise.all(
        batch.map((waiting) => call.one(waiting.request).then(waiting.resolve, waiting.reject)),
      )
  }

  const next = () => {
    if (busy || queue.length === 0) return
    busy = true
    send(take()).finally(() => {
      busy = false
      next()
    })
  }

  return (request) =>
    new Promise<Response>((resolve, reject) => {
      queue.push({ request, resolve, reject })
      // The rest of this turn's requests join it.
      if (queue.length === 1) setImmediate(next)
    })
}
