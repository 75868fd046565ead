/**
 * Signers in child processes: CDK's `signatory` 0.18.3 (crates.io `cdk-signatory`, built by
 * scripts/cdk-signatory.sh; its seed a BIP-39 mnemonic) and this project's `cashu-mint signer`
 * (its seed and keysets in its own data folder). Both serve CDK's signatory protocol over mutual
 * TLS from a TLS folder with server.pem, server.key and ca.pem.
 */
import { join } from 'node:path'
import { SOURCES } from '../regtest/mint-process.ts'
import { listening, type PeerProcess, startPeer, tool } from './peer-process.ts'

export interface RunningSigner extends PeerProcess {
  /** host:port, as CASHU_MINT_SIGNER takes it. */
  address: string
  port: number
}

export async function startCdkSignatory(options: {
  workDir: string
  port: number
  tlsDir: string
  mnemonic: string
}): Promise<RunningSigner> {
  const peer = await startPeer({
    name: 'cdk-signatory',
    command: tool('cdk-signatory.sh'),
    args: [
      '--work-dir',
      options.workDir,
      '--certs',
      options.tlsDir,
      '--listen-addr',
      '127.0.0.1',
      '--listen-port',
      String(options.port),
      '--enable-logging',
      '--log-level',
      'info',
    ],
    env: { CDK_MINTD_MNEMONIC: options.mnemonic },
    ready: () => listening(options.port),
  })
  return { ...peer, address: `127.0.0.1:${options.port}`, port: options.port }
}

export async function startCashuMintSigner(options: {
  dataDir: string
  port: number
  tlsDir: string
}): Promise<RunningSigner> {
  const peer = await startPeer({
    name: 'cashu-mint signer',
    command: process.execPath,
    args: [
      SOURCES,
      join(import.meta.dirname, '../../src/cli/cli.ts'),
      'signer',
      '--listen',
      `127.0.0.1:${options.port}`,
      '--tls-dir',
      options.tlsDir,
    ],
    env: { CASHU_MINT_DATA_DIR: options.dataDir },
    ready: () => listening(options.port),
  })
  return { ...peer, address: `127.0.0.1:${options.port}`, port: options.port }
}
