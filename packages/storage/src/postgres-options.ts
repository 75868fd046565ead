/**
 * postgres.js waits longer before each attempt to reconnect (up to 20 s) and holds queries for a
 * connection meanwhile: after a restart the mint would sit idle, and during an outage a request
 * would wait that long for its 503. Attempts at most 2 s apart, and 5 s to connect, keep both short.
 */
export const RECONNECTING = {
  backoff: (retries: number) => Math.min(0.1 * 2 ** retries, 2),
  connect_timeout: 5,
}
