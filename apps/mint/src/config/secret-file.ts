/**
 * The mint's secrets on disk: 32 random bytes as hex in <data dir>/<name>, created on first start
 * with mode 0600 and never logged. `seed` is the one every keyset derives from (back it up);
 * `admin-token` is the bearer token of the admin listener unless CASHU_MINT_ADMIN_TOKEN is set;
 * `mint-made-secret`, with a signer elsewhere, is what the secrets of ecash the mint makes itself
 * derive from (otherwise they derive from the seed).
 */
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type MintSeed, mnemonicSeed } from '@cashu-mint/core/keys'
import type { Logger } from 'pino'

export type SecretName = 'seed' | 'admin-token' | 'mint-made-secret'

export async function loadOrCreateSecret(
  dataDir: string,
  name: SecretName,
): Promise<{ value: string; path: string; created: boolean }> {
  const path = join(dataDir, name)
  try {
    const value = (await readFile(path, 'utf8')).trim()
    if (value.length === 0) throw new Error(`${name} file ${path} is empty`)
    return { value, path, created: false }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const value = randomBytes(32).toString('hex')
  await writeFile(path, `${value}\n`, { mode: 0o600, flag: 'wx' })
  await chmod(path, 0o600)
  return { value, path, created: true }
}

/**
 * Writes the seed of a mint being taken over (its text, or `bip39:` and CDK's mnemonic), once: a
 * data folder that already has a seed keeps it, and one with another seed is refused.
 */
export async function adoptSeed(dataDir: string, seed: string): Promise<{ path: string; created: boolean }> {
  parseSeed(seed)
  const path = join(dataDir, 'seed')
  const existing = await readFile(path, 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  )
  if (existing !== undefined && existing !== seed)
    throw new Error(`${path} holds another seed: take the old mint over into a new data folder`)
  if (existing !== undefined) return { path, created: false }
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  await writeFile(path, `${seed}\n`, { mode: 0o600, flag: 'wx' })
  await chmod(path, 0o600)
  return { path, created: true }
}

/** Reads a secret that must already exist, saying where it looked when it does not. */
export async function readSecret(dataDir: string, name: 'seed' | 'admin-token'): Promise<string> {
  const path = join(dataDir, name)
  try {
    return (await readFile(path, 'utf8')).trim()
  } catch {
    throw new Error(
      `no ${name} at ${path}: is this the mint's data folder (CASHU_MINT_DATA_DIR)? cashu-mint init makes one`,
    )
  }
}

/** Marks a seed file that holds a BIP-39 mnemonic (a mint taken over from CDK), not seed text. */
export const MNEMONIC_SEED = 'bip39:'

/**
 * The seed as the keysets use it: the file's text (this mint's own, or Nutshell's MINT_PRIVATE_KEY
 * or CDK's `seed` carried over), or after `bip39:` CDK's mnemonic, whose 64-byte BIP-39 seed it is.
 */
export function parseSeed(text: string): MintSeed {
  return text.startsWith(MNEMONIC_SEED) ? mnemonicSeed(text.slice(MNEMONIC_SEED.length)) : text
}

/** The seed every keyset derives from, created on first start with a warning to back it up. */
export async function mintSeed(dataDir: string, logger: Logger): Promise<MintSeed> {
  const seed = await loadOrCreateSecret(dataDir, 'seed')
  if (seed.created)
    logger.warn({ path: seed.path }, 'created a new seed: back it up, every keyset derives from it')
  return parseSeed(seed.value)
}

/** The admin bearer token: configured, or generated once into the data folder (its path is logged, never its value). */
export async function adminToken(
  configured: string | undefined,
  dataDir: string,
  logger: Logger,
): Promise<string> {
  if (configured) return configured
  const token = await loadOrCreateSecret(dataDir, 'admin-token')
  if (token.created) logger.warn({ path: token.path }, 'created the admin API token')
  return token.value
}

/** A credential the operator keeps in a file of its own (a backend's API key): its trimmed text. */
export async function readSecretText(path: string): Promise<string> {
  let text: string
  try {
    text = (await readFile(path, 'utf8')).trim()
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`)
  }
  if (text === '') throw new Error(`${path} is empty`)
  return text
}
