/**
 * Nutshell 0.21's mint (`mint` beside the `cashu` wallet in the venv scripts/nutshell.sh installs) in
 * a child process, as its README starts it: settings from the environment, a FakeWallet, SQLite in a
 * folder or a PostgreSQL database. Its management RPC (plain gRPC on loopback) rotates keysets
 * through Nutshell's own `mint-cli`. HOME and the working folder are the mint's folder: Nutshell
 * reads a `.env` from either over the environment.
 */
import { execFile } from 'node:child_process'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from '../free-port.ts'
import { type PeerProcess, startPeer, tool } from './peer-process.ts'

export interface NutshellMintOptions {
  /** Its folder: HOME, working folder and (without `database`) the SQLite data in `data/`. */
  dir: string
  port: number
  /** MINT_PRIVATE_KEY: the text its keysets derive from. */
  privateKey: string
  /** A postgres:// URL; default SQLite in `<dir>/data`. */
  database?: string
  inputFeePpk: number
  /** Extra settings, e.g. FAKEWALLET_PAY_INVOICE_STATE=PENDING. */
  env?: Record<string, string>
}

/**
 * The environment Nutshell's mint runs with: no rate limit, a FakeWallet that pays at once and takes
 * a second to pay its own invoices (with none it can announce a payment before the quote is stored,
 * which is then never marked paid).
 */
export function nutshellMintEnv(options: NutshellMintOptions & { rpcPort?: number }): Record<string, string> {
  return {
    HOME: options.dir,
    CASHU_DIR: join(options.dir, 'cashu'),
    MINT_LISTEN_HOST: '127.0.0.1',
    MINT_LISTEN_PORT: String(options.port),
    MINT_DATABASE: options.database ?? join(options.dir, 'data'),
    MINT_PRIVATE_KEY: options.privateKey,
    MINT_BACKEND_BOLT11_SAT: 'FakeWallet',
    MINT_INPUT_FEE_PPK: String(options.inputFeePpk),
    MINT_RATE_LIMIT: 'FALSE',
    FAKEWALLET_DELAY_INCOMING_PAYMENT: '1',
    FAKEWALLET_DELAY_OUTGOING_PAYMENT: '0',
    ...(options.rpcPort
      ? {
          MINT_RPC_SERVER_ENABLE: 'TRUE',
          MINT_RPC_SERVER_MUTUAL_TLS: 'FALSE',
          MINT_RPC_SERVER_ADDR: '127.0.0.1',
          MINT_RPC_SERVER_PORT: String(options.rpcPort),
        }
      : {}),
    ...options.env,
  }
}

/** The `mint` command, installing Nutshell first if this machine has none. */
export const nutshellMintCommand = () => join(dirname(tool('nutshell.sh')), 'mint')

export interface RunningNutshellMint extends PeerProcess {
  url: string
  /** Its SQLite file (without `database`). */
  sqlite: string
  /** `mint-cli next-keyset UNIT FEE` over the management RPC: a new active keyset, the old one retired. */
  rotate(unit: string, inputFeePpk: number): Promise<string>
}

export async function startNutshellMint(options: NutshellMintOptions): Promise<RunningNutshellMint> {
  const rpcPort = await freePort()
  const command = nutshellMintCommand()
  const url = `http://127.0.0.1:${options.port}`
  const peer = await startPeer({
    name: 'Nutshell mint',
    command,
    cwd: options.dir,
    env: nutshellMintEnv({ ...options, rpcPort }),
    ready: async () => (await fetch(`${url}/v1/keysets`)).ok,
    timeoutMs: 120_000,
  })
  return {
    ...peer,
    url,
    sqlite: join(options.dir, 'data', 'mint.sqlite3'),
    async rotate(unit, inputFeePpk) {
      const { stdout } = await promisify(execFile)(
        join(dirname(command), 'mint-cli'),
        [
          '--insecure',
          '--host',
          '127.0.0.1',
          '--port',
          String(rpcPort),
          'next-keyset',
          unit,
          String(inputFeePpk),
        ],
        { env: { ...process.env, HOME: options.dir }, cwd: options.dir },
      )
      return stdout
    },
  }
}
