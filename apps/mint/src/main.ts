/** `pnpm start`: the mint service, configured from the environment (see config.ts and the README). */
import { loadConfig } from './config.ts'
import { startServer } from './server.ts'

let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig()
} catch (error) {
  console.error((error as Error).message)
  process.exit(2)
}
const server = await startServer(config)
console.error(`try it: curl ${server.url}/v1/info   or add ${server.url} as a mint in any Cashu wallet`)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return
    stopping = true
    console.error(`${signal}: finishing in-flight requests and stopping`)
    await server.stop()
    process.exit(0)
  })
}
