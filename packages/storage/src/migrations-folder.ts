/** The migrations: the copy the build puts in `dist/drizzle` when running built, else the repository's. */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const MIGRATIONS_FOLDER = [
  new URL('./drizzle', import.meta.url),
  new URL('../../../drizzle', import.meta.url),
]
  .map((url) => fileURLToPath(url))
  .find((folder) => existsSync(join(folder, 'meta', '_journal.json'))) as string
