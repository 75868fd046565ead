/**
 * Who holds the mint's keys. By default this service: the seed in its data folder, a signer in
 * this process. With CASHU_MINT_SIGNER, a signer in another process (docs/signer.md) reached over
 * mutual TLS, and no seed here: a data folder that still has one is refused, so the keys are never
 * in two places by mistake.
 */
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import type { MintOptions } from '@cashu-mint/core/mint'
import { connectSigner } from '@cashu-mint/signer'
import type { Logger } from 'pino'
import type { ServerConfig } from './config.ts'
import { loadOrCreateSecret, mintSeed } from './secret-file.ts'

export async function mintKeys(config: ServerConfig, logger: Logger): Promise<MintOptions['keys']> {
  const address = config.CASHU_MINT_SIGNER
  if (!address) return { seed: await mintSeed(config.CASHU_MINT_DATA_DIR, logger) }
  const seedPath = join(config.CASHU_MINT_DATA_DIR, 'seed')
  if (
    await access(seedPath).then(
      () => true,
      () => false,
    )
  )
    throw new Error(
      `${seedPath} holds a seed, but CASHU_MINT_SIGNER says the keys are in the signer: give the seed to the signer (its data folder) and remove it here`,
    )
  const signer = await connectSigner({
    address,
    tlsDir: config.CASHU_MINT_SIGNER_TLS_DIR as string,
    timeoutMs: config.CASHU_MINT_SIGNER_TIMEOUT_MS,
    onOutage: ({ down, detail }) =>
      down
        ? logger.warn({ signer: address, detail }, 'signer unavailable: requests answer 503 until it is back')
        : logger.info({ signer: address }, 'signer available again'),
  }).catch((error: Error) => {
    throw new Error(`cannot use the signer at ${address}: ${error.message}`)
  })
  const secret = await loadOrCreateSecret(config.CASHU_MINT_DATA_DIR, 'mint-made-secret')
  if (secret.created)
    logger.info({ path: secret.path }, 'created the secret behind ecash the mint makes itself')
  logger.info({ signer: address }, 'the keys are in the signer; this process holds no seed')
  return { signer, secret: Buffer.from(secret.value, 'hex') }
}
