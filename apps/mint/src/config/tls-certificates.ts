/**
 * Certificates for mutual TLS between the mint and a process it talks to over gRPC (CDK's payment
 * processor, a signer): a private CA, a server certificate for the other process (its host names
 * and addresses) and a client certificate for the mint, ECDSA P-256, as PEM files with the names
 * CDK's processor and signatory read (ca.pem; server.pem and server.key; client.pem and client.key).
 * The CA's key signs nothing else and may be kept offline. Made with @peculiar/x509 on Node's
 * WebCrypto.
 */
import { webcrypto } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { isIP } from 'node:net'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const

export interface CertificateSet {
  /** PEM of each file, by its name. */
  files: Record<'ca.pem' | 'ca.key' | 'server.pem' | 'server.key' | 'client.pem' | 'client.key', string>
}

const pemKey = async (key: webcrypto.CryptoKey) =>
  x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY')

const keyPair = () =>
  webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>

const serial = () =>
  Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[89a-f]/, '1')

/** A CA, a server certificate for `hosts` (names and IP addresses) and a client certificate, valid `days`. */
export async function makeCertificates(options: {
  hosts: string[]
  days?: number
  name?: string
}): Promise<CertificateSet> {
  const notBefore = new Date(Date.now() - 60_000)
  const notAfter = new Date(Date.now() + (options.days ?? 3650) * 86_400_000)
  const name = options.name ?? 'cashu-mint'
  const caKeys = await keyPair()
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name} CA`,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  })
  const leaf = async (subject: string, usage: string, extra: x509.Extension[]) => {
    const keys = await keyPair()
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: `CN=${subject}`,
      issuer: ca.subject,
      notBefore,
      notAfter,
      signingAlgorithm: ALGORITHM,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([usage]),
        await x509.AuthorityKeyIdentifierExtension.create(ca),
        ...extra,
      ],
    })
    return { pem: certificate.toString('pem'), key: await pemKey(keys.privateKey) }
  }
  const names = options.hosts.map((host) =>
    isIP(host) ? { type: 'ip' as const, value: host } : { type: 'dns' as const, value: host },
  )
  const server = await leaf(options.hosts[0] ?? 'localhost', x509.ExtendedKeyUsage.serverAuth, [
    new x509.SubjectAlternativeNameExtension(names),
  ])
  const client = await leaf(`${name} client`, x509.ExtendedKeyUsage.clientAuth, [])
  return {
    files: {
      'ca.pem': ca.toString('pem'),
      'ca.key': await pemKey(caKeys.privateKey),
      'server.pem': server.pem,
      'server.key': server.key,
      'client.pem': client.pem,
      'client.key': client.key,
    },
  }
}

/** Which files each party holds: the CA's key only in `ca/`, each private key only with its owner. */
export const PARTIES = {
  ca: ['ca.pem', 'ca.key'],
  server: ['server.pem', 'server.key', 'ca.pem'],
  client: ['client.pem', 'client.key', 'ca.pem'],
} as const satisfies Record<string, readonly (keyof CertificateSet['files'])[]>

/**
 * Writes the set into `dir` as one folder per party: `server/` for the processor or signer (its
 * TLS folder), `client/` for the mint (a backend's `tls_dir`), `ca/` for issuing more, best kept
 * offline. Keys are readable by their owner only; an existing file is never overwritten.
 */
export async function writeCertificates(
  dir: string,
  set: CertificateSet,
): Promise<Record<keyof typeof PARTIES, string>> {
  const folders = { ca: join(dir, 'ca'), server: join(dir, 'server'), client: join(dir, 'client') }
  for (const [party, names] of Object.entries(PARTIES) as [
    keyof typeof PARTIES,
    readonly (keyof CertificateSet['files'])[],
  ][]) {
    await mkdir(folders[party], { recursive: true, mode: 0o700 })
    for (const name of names)
      await writeFile(join(folders[party], name), set.files[name], {
        flag: 'wx',
        mode: name.endsWith('.key') ? 0o600 : 0o644,
      })
  }
  return folders
}
