/**
 * How the mint reaches LND: the gRPC address, the node's TLS certificate and a macaroon, each
 * given inline (base64, or hex for the macaroon, or PEM for the certificate) or as a file path.
 * Errors name what is missing or unreadable, never the secret itself.
 */
import { readFileSync } from 'node:fs'

export interface LndConnectionOptions {
  /** host:port of LND's gRPC listener, e.g. 127.0.0.1:10009. */
  socket: string
  /** tls.cert as PEM text or base64. */
  cert?: string | undefined
  certPath?: string | undefined
  /** A macaroon as hex or base64. */
  macaroon?: string | undefined
  macaroonPath?: string | undefined
}

export interface LndCredentials {
  socket: string
  /** base64 of the PEM certificate, as the lightning package expects. */
  cert: string
  /** hex */
  macaroon: string
}

function readSecretFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path)
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable'
    throw new Error(`cannot read the LND ${what} at ${path} (${reason})`)
  }
}

function certificateBase64(options: LndConnectionOptions): string {
  const inline = options.cert?.trim()
  if (inline) return inline.startsWith('-----BEGIN') ? Buffer.from(`${inline}\n`).toString('base64') : inline
  if (options.certPath) return readSecretFile(options.certPath, 'TLS certificate').toString('base64')
  throw new Error('LND needs its TLS certificate: set the certificate (PEM or base64) or its path')
}

function macaroonHex(options: LndConnectionOptions): string {
  const inline = options.macaroon?.trim()
  if (inline) return /^[0-9a-f]+$/i.test(inline) ? inline : Buffer.from(inline, 'base64').toString('hex')
  if (options.macaroonPath) return readSecretFile(options.macaroonPath, 'macaroon').toString('hex')
  throw new Error('LND needs a macaroon: set the macaroon (hex or base64) or its path')
}

export function readLndCredentials(options: LndConnectionOptions): LndCredentials {
  if (!/^\S+:\d+$/.test(options.socket)) {
    throw new Error(`the LND address must be host:port, got "${options.socket}"`)
  }
  return { socket: options.socket, cert: certificateBase64(options), macaroon: macaroonHex(options) }
}
