/**
 * `cashu-mint certs`: certificates for mutual TLS with a process the mint talks to over gRPC (CDK's
 * payment processor, a signer), one folder per party.
 */
import { resolve } from 'node:path'
import { makeCertificates, writeCertificates } from '../../config/tls-certificates.ts'
import { type Command, required, UsageError } from '../command.ts'

export const certs: Command = {
  name: 'certs',
  summary: 'make certificates for mutual TLS with a payment processor or signer',
  usage: ['--out DIR --host HOST [--host HOST ...] [--days N]'],
  description: `Makes a private CA, a server certificate for HOST (the names and addresses the mint dials) and
a client certificate for the mint, ECDSA P-256, into DIR/server (the processor's TLS folder:
server.pem, server.key, ca.pem), DIR/client (the mint's tls_dir: client.pem, client.key, ca.pem)
and DIR/ca (the CA, to make more; keep it offline). Keys are 0600; existing files are kept.`,
  options: {
    out: { type: 'string', value: 'DIR', help: 'the folder to write into' },
    host: { type: 'string', multiple: true, value: 'HOST', help: 'a name or address of the server' },
    days: { type: 'string', value: 'N', help: 'validity in days (default 3650)' },
  },
  async run({ values }) {
    const dir = resolve(required(values, 'out'))
    const hosts = (values.host as string[] | undefined) ?? []
    if (hosts.length === 0) throw new UsageError('--host is required (the name or address the mint dials)')
    const days = values.days === undefined ? undefined : Number(values.days)
    if (days !== undefined && !(Number.isInteger(days) && days > 0))
      throw new UsageError('--days must be a whole number of days')
    const set = await makeCertificates({ hosts, ...(days ? { days } : {}) })
    const folders = await writeCertificates(dir, set).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST')
        throw new UsageError(`${dir} already holds certificates: choose another --out`)
      throw error
    })
    return {
      result: folders,
      text: [
        `server   ${folders.server}   (the processor's or signer's TLS folder)`,
        `client   ${folders.client}   (the mint's tls_dir)`,
        `ca       ${folders.ca}   (keep offline: it issues new certificates)`,
        `valid for ${hosts.join(', ')}`,
      ].join('\n'),
    }
  },
}
