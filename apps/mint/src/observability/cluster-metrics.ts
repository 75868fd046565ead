/**
 * One set of metrics for all workers. With several worker processes (node:cluster) a scrape reaches
 * whichever worker accepts it, so that worker asks the primary, which gathers every worker's
 * registry over IPC (prom-client's AggregatorRegistry) and sends back the total: counters and
 * histograms are summed, gauges say how they combine (`aggregator`).
 */
import cluster from 'node:cluster'
import { AggregatorRegistry, type Registry } from 'prom-client'

const REQUEST = 'cashu-mint:cluster-metrics'
const REPLY = 'cashu-mint:cluster-metrics-reply'
const TIMEOUT_MS = 10_000

interface Reply {
  type: typeof REPLY
  id: number
  body?: string
  error?: string
}

const isMessage = <T extends { type: string }>(message: unknown, type: T['type']): message is T =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type

/** In the primary: answers the workers' requests for everyone's metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry()
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage<{ type: typeof REQUEST; id: number }>(message, REQUEST)) return
    aggregator.clusterMetrics().then(
      (body) => worker.send({ type: REPLY, id: message.id, body } satisfies Reply),
      (error: Error) => worker.send({ type: REPLY, id: message.id, error: error.message } satisfies Reply),
    )
  })
}

/** In a worker: a function returning the metrics of all workers, by way of the primary. */
export function clusterMetricsOf(registry: Registry): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry])
  // Constructing one installs prom-client's worker side, which answers the primary's collection.
  new AggregatorRegistry()
  const waiting = new Map<number, (reply: Reply) => void>()
  let next = 0
  process.on('message', (message: unknown) => {
    if (isMessage<Reply>(message, REPLY)) waiting.get(message.id)?.(message)
  })
  return () =>
    new Promise((resolve, reject) => {
      const id = next++
      const timer = setTimeout(
        () => settle({ type: REPLY, id, error: 'the primary did not answer' }),
        TIMEOUT_MS,
      )
      const settle = (reply: Reply) => {
        clearTimeout(timer)
        waiting.delete(id)
        if (reply.body !== undefined) resolve(reply.body)
        else reject(new Error(`cluster metrics: ${reply.error}`))
      }
      waiting.set(id, settle)
      process.send?.({ type: REQUEST, id })
    })
}
