/**
 * NUT-17 events across instances. This instance's mint events go to its websocket clients and, on
 * PostgreSQL, to every other instance over a LISTEN/NOTIFY channel; theirs arrive the same way. An
 * event that is about this instance's state rather than a wallet's is acted on instead: another
 * instance's keyset rotation reloads our keysets, its settings change reloads the operator's
 * settings (and ours are announced to it).
 */
import { createListeners, type MintEvent } from '@cashu-mint/core/mint'
import { isDatabaseUnreachable, openEventChannel } from '@cashu-mint/storage'
import type { Logger } from 'pino'
import type { MintServices } from './mint-services.ts'

export interface EventFanOut {
  /** Every wallet-facing event, of this instance and the others; returns the unsubscribe. */
  subscribe(listener: (event: MintEvent) => void): () => void
  close(): Promise<void>
}

export async function fanOutEvents(services: MintServices, logger: Logger): Promise<EventFanOut> {
  const { mint, operator, databaseUrl } = services
  const toWallets = createListeners<MintEvent>()
  const fromOtherInstance = (event: MintEvent) => {
    if (event.kind === 'settings')
      return void operator
        .reload()
        .catch((error) => logger.error({ err: error }, 'reloading settings failed'))
    if (event.kind === 'keysets')
      return void mint
        .reloadKeysets()
        .catch((error) => logger.error({ err: error }, 'reloading keysets failed'))
    toWallets.emit(event)
  }
  const channel = databaseUrl.startsWith('postgres')
    ? await openEventChannel(databaseUrl, fromOtherInstance)
    : undefined
  // While the database is down the store has logged the outage once; each lost event is not news.
  const announce = (event: MintEvent) =>
    channel?.publish(event).catch((error) => {
      if (!isDatabaseUnreachable(error)) logger.warn({ err: error }, 'publishing an event failed')
    })
  const stopMint = mint.subscribe((event) => {
    toWallets.emit(event)
    announce(event)
  })
  const stopOperator = operator.onChange(() => announce({ kind: 'settings' }))
  return {
    subscribe: toWallets.add,
    async close() {
      stopMint()
      stopOperator()
      await channel?.close()
    },
  }
}
