/**
 * nostr-rs-relay 0.8.12's config.toml for a stamp relay: its address, its SQLite folder, the
 * admission service, and the fee in its NIP-11 description. 0.8.12 puts `fees` in its NIP-11
 * document only with its own Lightning pay-to-relay, which refuses every pubkey it has not
 * registered before asking admission, so the fee is stated in words there.
 */
import type { StampPrices } from './stamp-admission.ts'

export interface RelayConfig {
  host: string
  port: number
  /** Where the relay keeps its SQLite database (it must exist). */
  dataDir: string
  /** host:port of the admission service; without one the relay takes every event (the benchmark's baseline). */
  admission?: string | undefined
  name: string
  mintUrl: string
  prices: StampPrices
}

/** The fee in words: "1 sat a event (kind 0: free), in ecash from https://mint". */
export function feeText(prices: StampPrices, mintUrl: string): string {
  const kinds = Object.entries(prices.kinds ?? {}).map(
    ([kind, price]) => `kind ${kind}: ${price === 0n ? 'free' : `${price} ${prices.unit}`}`,
  )
  return `${prices.default} ${prices.unit} an event${kinds.length ? ` (${kinds.join(', ')})` : ''}, paid with an ecash stamp from ${mintUrl} in a ["cashu", token] tag`
}

const quoted = (text: string) => JSON.stringify(text)

export function relayConfig(config: RelayConfig): string {
  return `[info]
relay_url = ${quoted(`ws://${config.host}:${config.port}/`)}
name = ${quoted(config.name)}
description = ${quoted(`Every event costs ${feeText(config.prices, config.mintUrl)}.`)}

[database]
engine = "sqlite"
data_directory = ${quoted(config.dataDir)}

${config.admission ? `[grpc]\nevent_admission_server = ${quoted(`http://${config.admission}`)}\n` : ''}
[network]
address = ${quoted(config.host)}
port = ${config.port}

[options]
reject_future_seconds = 1800
`
}
