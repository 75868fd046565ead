/**
 * `cashu-mint signer`: runs the signer, the one process that holds the seed (docs/signer.md);
 * `cashu-mint signer init-certs` makes the CA and the certificates of both sides.
 */
import { pino } from 'pino'
import { startSignerService } from '../../service/signer-service.ts'
import { type Command, optional, required, UsageError } from '../command.ts'
import { certs } from './certs.ts'

/** host:port, the host an address or a name, an IPv6 address in brackets. */
function listenAddress(text: string): { host: string; port: number } {
  const match = /^(\[[0-9a-f:]+\]|[^:\s]+):([0-9]{1,5})$/i.exec(text)
  const port = Number(match?.[2])
  if (!match || port > 65535) throw new UsageError(`--listen must be host:port, not ${text}`)
  return { host: match[1] as string, port }
}

export const signer: Command = {
  name: 'signer',
  args: '[init-certs]',
  summary: 'run the signer that alone holds the seed, or make its certificates',
  usage: [
    '--tls-dir DIR [--listen HOST:PORT]',
    'init-certs --out DIR --host HOST [--host HOST ...] [--days N]',
  ],
  description: `Serves CDK's signatory protocol (gRPC, mutual TLS) from this data folder's seed and keysets
(CASHU_MINT_DATA_DIR, DATABASE_URL), for this mint's service (CASHU_MINT_SIGNER=HOST:PORT) or for
cdk-mintd ([signatory]). DIR holds server.pem, server.key and ca.pem: only clients with a
certificate from that CA are served. It logs per keyset how many outputs it signed and for how
much, never a key. init-certs is cashu-mint certs: the signer's folder is DIR/server.`,
  options: {
    ...certs.options,
    listen: { type: 'string', value: 'HOST:PORT', help: 'where to listen (default 127.0.0.1:15060)' },
    'tls-dir': {
      type: 'string',
      value: 'DIR',
      help: "the signer's certificates: server.pem, server.key, ca.pem",
    },
  },
  async run(input) {
    if (input.sub === 'init-certs') return certs.run(input)
    if (input.sub !== undefined)
      throw new UsageError(`unknown subcommand "${input.sub}"; try cashu-mint signer --help`)
    const { host, port } = listenAddress(optional(input.values, 'listen') ?? '127.0.0.1:15060')
    const logger = pino({ level: input.config.CASHU_MINT_LOG_LEVEL })
    const server = await startSignerService(
      input.config,
      { host, port, tlsDir: required(input.values, 'tls-dir') },
      logger,
    )
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => {
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        )
      })
    return undefined
  },
}
