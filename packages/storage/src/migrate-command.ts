/**
 * `pnpm db:migrate [url]`: applies pending migrations and exits. The URL is the argument, else
 * DATABASE_URL, else the embedded PGlite folder ./data/pglite. The mint also migrates at start;
 * this is for operators who migrate before deploying.
 */
import { openStore } from './connect.ts'

const url = process.argv[2] ?? process.env.DATABASE_URL ?? './data/pglite'
// A URL may carry a password: only what follows the credentials is ever printed.
const shown = url.includes('://') ? url.replace(/\/\/[^@/]*@/, '//***@') : url
try {
  const store = await openStore({ url, maxConnections: 1 })
  await store.close()
  console.log(`migrations applied to ${shown}`)
} catch (error) {
  const cause = (error as { cause?: { message?: string } }).cause?.message
  console.error(`migrating ${shown} failed: ${cause ?? (error as Error).message}`)
  process.exitCode = 1
}
