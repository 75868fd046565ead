/**
 * The mint's seed: 32 random bytes as hex in <data dir>/seed, created on first start with mode
 * 0600. Every keyset derives from it, so it is the one thing to back up; it is never logged.
 */
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export async function loadOrCreateSeed(
  dataDir: string,
): Promise<{ seed: string; path: string; created: boolean }> {
  const path = join(dataDir, 'seed')
  try {
    const seed = (await readFile(path, 'utf8')).trim()
    if (seed.length === 0) throw new Error(`seed file ${path} is empty`)
    return { seed, path, created: false }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const seed = randomBytes(32).toString('hex')
  await writeFile(path, `${seed}\n`, { mode: 0o600, flag: 'wx' })
  await chmod(path, 0o600)
  return { seed, path, created: true }
}
