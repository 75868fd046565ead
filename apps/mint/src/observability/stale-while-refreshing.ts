/**
 * A value read at most once per `maxAgeMs`, for figures too costly to read on every request: the
 * first call waits for a read; later calls get the last value at once, and one older than
 * `maxAgeMs` starts a read in the background for the calls after. Concurrent calls share one read.
 * A failed read is thrown to a caller that has no value yet; otherwise the last value stands and
 * the next call tries again.
 */
export function staleWhileRefreshing<T>(
  read: () => Promise<T>,
  maxAgeMs: number,
  now: () => number = Date.now,
): () => Promise<T> {
  let last: { value: T; at: number } | undefined
  let reading: Promise<T> | undefined

  const refresh = () => {
    reading ??= read()
      .then((value) => {
        last = { value, at: now() }
        return value
      })
      .finally(() => {
        reading = undefined
      })
    return reading
  }

  return async () => {
    if (last === undefined) return refresh()
    if (now() - last.at >= maxAgeMs) refresh().catch(() => undefined)
    return last.value
  }
}
