/**
 * `pnpm start`: the mint service, configured from the environment (see config.ts and the README).
 * With PostgreSQL it runs one worker process per core (node:cluster shares the listening socket);
 * the primary prepares the database and seed first, forwards SIGINT/SIGTERM, and exits when the
 * workers have finished their in-flight requests.
 */
import cluster from 'node:cluster'
import { availableParallelism } from 'node:os'
import { pino } from 'pino'
import { databaseUrlOf, loadConfig } from './config/config.ts'
import { serveClusterMetrics } from './observability/cluster-metrics.ts'
import { prepareMint, startServer } from './server.ts'
import { reduceMemoryWhenIdle } from './service/idle-memory.ts'

let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig()
} catch (error) {
  console.error((error as Error).message)
  process.exit(2)
}
const logger = pino({ level: config.CASHU_MINT_LOG_LEVEL })
const postgres = databaseUrlOf(config).startsWith('postgres')
if (!postgres && (config.CASHU_MINT_WORKERS ?? 1) > 1) {
  console.error('CASHU_MINT_WORKERS > 1 needs PostgreSQL (DATABASE_URL): PGlite serves one process')
  process.exit(2)
}
const workers = postgres ? (config.CASHU_MINT_WORKERS ?? availableParallelism()) : 1

/** A start that cannot succeed (LND unreachable, locked, under-privileged…) says why and exits 1. */
async function orExit<T>(starting: Promise<T>): Promise<T> {
  try {
    return await starting
  } catch (error) {
    console.error(`cashu-mint cannot start: ${(error as Error).message}`)
    process.exit(1)
  }
}

if (workers > 1 && cluster.isPrimary) {
  await orExit(prepareMint(config, logger))
  for (let i = 0; i < workers; i++) cluster.fork()
  serveClusterMetrics()
  // The primary serves no requests: this collects what preparing the mint left, once.
  reduceMemoryWhenIdle([])
  let stopping = false
  cluster.on('exit', (worker, code) => {
    if (!stopping) {
      logger.error({ pid: worker.process.pid, code }, 'worker died; starting another')
      cluster.fork()
    } else if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0)
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopping = true
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal)
    })
  }
} else {
  const server = await orExit(startServer(config, logger))
  if (cluster.isPrimary) {
    console.error(`try it: curl ${server.url}/v1/info   or add ${server.url} as a mint in any Cashu wallet`)
  }
  let stopping = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, async () => {
      if (stopping) return
      stopping = true
      logger.info({ signal }, 'finishing in-flight requests and stopping')
      await server.stop()
      process.exit(0)
    })
  }
}
