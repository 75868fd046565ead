/**
 * `cashu-mint signer`: the process that alone holds the seed. Its data folder has the seed and
 * the keyset records (PGlite there, or DATABASE_URL); it serves CDK's signatory protocol over
 * mutual TLS to this mint's service (CASHU_MINT_SIGNER) or to cdk-mintd. A mint moving its keys
 * here copies its data folder (seed and keysets) to the signer and removes the seed from its own.
 */
import { defaultCurveBackend } from '@cashu-mint/core/crypto'
import { createLocalSigner, systemClock } from '@cashu-mint/core/mint'
import { type SignerServer, serveSigner } from '@cashu-mint/signer'
import { openStore } from '@cashu-mint/storage'
import type { Logger } from 'pino'
import { databaseUrlOf, type ServerConfig } from '../config/config.ts'
import { mintSeed } from '../config/secret-file.ts'

export interface SignerServiceOptions {
  host: string
  port: number
  /** server.pem, server.key and ca.pem. */
  tlsDir: string
}

export async function startSignerService(
  config: ServerConfig,
  options: SignerServiceOptions,
  logger: Logger,
): Promise<SignerServer> {
  if (config.CASHU_MINT_SIGNER)
    throw new Error('CASHU_MINT_SIGNER is set: that is the service pointing at a signer, not a signer')
  const seed = await mintSeed(config.CASHU_MINT_DATA_DIR, logger)
  const clock = systemClock
  const store = await openStore({ url: databaseUrlOf(config), maxConnections: 2, clock })
  const signer = createLocalSigner({ curve: defaultCurveBackend(), seed, store, clock, v1Aliases: false })
  try {
    const server = await serveSigner(signer, {
      ...options,
      log: (fields, message) => logger.info(fields, message),
    })
    return {
      port: server.port,
      async close() {
        await server.close()
        await store.close()
      },
    }
  } catch (error) {
    await store.close()
    throw error
  }
}
