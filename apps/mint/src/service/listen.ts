/**
 * An HTTP listener with Node's limits on what a client may make the server hold: headers of at
 * most 16 KiB that must arrive within 10 s, a whole request within 30 s (a melt may still take its
 * time to answer), and idle keep-alive connections closed after 5 s.
 */
import { STATUS_CODES } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { ErrorCode } from '@cashu-mint/core/protocol'
import { serve } from '@hono/node-server'

const SERVER_OPTIONS = {
  maxHeaderSize: 16 * 1024,
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
}

export type Listener = ReturnType<typeof serve>

/**
 * A request Node refuses before Hono sees it (headers or URL over the limit, too slow, not HTTP) gets
 * a JSON answer and `Connection: close`, and what the client is still sending is read and dropped
 * until it closes: closing with unread data would reset the connection before the client reads the
 * answer.
 */
function answerClientErrors(server: Listener): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return void socket.destroy()
    const status =
      error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
    const body = JSON.stringify({
      detail: `request refused: ${STATUS_CODES[status]}`,
      code: ErrorCode.MALFORMED_REQUEST,
    })
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    )
    socket.resume()
    setTimeout(() => socket.destroy(), 5000).unref()
  })
}

/** Listens on `hostname:port` (0 picks a free port); answers the listener and its URL. */
export function listen(
  fetch: Parameters<typeof serve>[0]['fetch'],
  hostname: string,
  port: number,
): Promise<{ server: Listener; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, hostname, port, serverOptions: SERVER_OPTIONS }, () =>
      resolve({ server, url: `http://${hostname}:${(server.address() as AddressInfo).port}` }),
    )
    answerClientErrors(server)
  })
}

/** Stops accepting connections and waits for the requests in flight. */
export const close = (server: Listener) => new Promise<void>((resolve) => server.close(() => resolve()))
