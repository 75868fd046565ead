/**
 * A TCP port free on 127.0.0.1 right now, for a server a test or benchmark starts.
 *
 * Chosen below Linux's ephemeral range (32768-60999), where the kernel also places the outgoing
 * connections every other test opens: a port the kernel handed out for `listen(0)` and then freed
 * can be taken by such a connection before the server binds it (it happened in CI). A port is
 * never handed out twice in one process, so a mint's public and admin ports differ.
 */
import { createServer } from 'node:net'

const LOWEST = 20_000
const SPAN = 12_000
const handedOut = new Set<number>()

const bindable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })

export async function freePort(): Promise<number> {
  for (;;) {
    const port = LOWEST + Math.floor(Math.random() * SPAN)
    if (handedOut.has(port) || !(await bindable(port))) continue
    handedOut.add(port)
    return port
  }
}
