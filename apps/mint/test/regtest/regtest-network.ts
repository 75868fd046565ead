/**
 * A real Lightning network on this machine: btcd in regtest and two LND nodes, A and B, with a
 * funded channel from A to B (B got part of it pushed, so money flows both ways). The binaries come
 * from scripts/regtest-binaries.sh (built from the Go module proxy, cached in .tools).
 *
 * btcd mines only to an address fixed at its start, and A's wallet has no address before its
 * chain backend is up. So two btcd run: the backend both nodes use from their start, and a miner
 * started once A has an address, mining to it and relaying its blocks to the backend over P2P. The
 * backend never restarts: LND's RPC client waits 5, 10, 15 s... between reconnects, and on a
 * loaded machine a restart cost more than a minute. 500 blocks activate segwit (about block 432
 * on btcd's regtest), without which LND never broadcasts a funding transaction.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { createWriteStream, existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile } from 'node:fs/promises'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  type AuthenticatedLnd,
  addPeer,
  authenticatedLndGrpc,
  createChainAddress,
  getChainBalance,
  getChannels,
  getWalletInfo,
  openChannel,
} from 'lightning'
import { freePort } from '../free-port.ts'

const root = join(import.meta.dirname, '../../../..')

export interface LndNode {
  name: string
  lnd: AuthenticatedLnd
  publicKey: string
  socket: string
  /** https://host:port of the REST listener. */
  rest: string
  /** host:port of the peer-to-peer listener. */
  p2p: string
  certPath: string
  adminMacaroonPath: string
  dir: string
}

export interface RegtestNetwork {
  a: LndNode
  b: LndNode
  dir: string
  mine(blocks: number): Promise<void>
  stop(): Promise<void>
}

/** Builds the binaries if needed and returns their folder. */
export function regtestBinaries(): string {
  return execFileSync('bash', [join(root, 'scripts/regtest-binaries.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim()
}

export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  /** What was reached instead, for the error. */
  progress?: () => Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      const value = await check()
      if (value !== undefined && value !== false) return value
    } catch (error) {
      lastError = error
    }
    await sleep(250)
  }
  const reached = progress ? ` (${await progress().catch((error: Error) => error.message)})` : ''
  throw new Error(
    `timed out waiting for ${what}${reached}${lastError ? `: ${JSON.stringify(lastError)}` : ''}`,
  )
}

class Processes {
  readonly #running = new Set<ChildProcess>()

  start(command: string, args: string[], logFile: string): ChildProcess {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    const log = createWriteStream(logFile, { flags: 'a' })
    child.stdout?.pipe(log)
    child.stderr?.pipe(log)
    this.#running.add(child)
    child.once('exit', () => this.#running.delete(child))
    return child
  }

  async stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    await exited
    clearTimeout(timer)
  }

  /** Last started first, one at a time: LND stops before the btcd it reads, so it logs no lost backend. */
  async stopAll(): Promise<void> {
    for (const child of [...this.#running].reverse()) await this.stop(child)
  }
}

interface Btcd {
  rpc(method: string, params?: unknown[]): Promise<unknown>
}

async function startBtcd(
  processes: Processes,
  bin: string,
  dir: string,
  ports: { rpc: number; p2p: number },
  mining?: { address: string; peer: string },
): Promise<Btcd> {
  const args = [
    '--regtest',
    `--datadir=${join(dir, 'data')}`,
    `--logdir=${join(dir, 'logs')}`,
    '--rpcuser=regtest',
    '--rpcpass=regtest',
    `--rpclisten=127.0.0.1:${ports.rpc}`,
    `--listen=127.0.0.1:${ports.p2p}`,
    `--rpccert=${join(dir, 'rpc.cert')}`,
    `--rpckey=${join(dir, 'rpc.key')}`,
    '--txindex',
    ...(mining ? [`--miningaddr=${mining.address}`, `--connect=${mining.peer}`] : []),
  ]
  processes.start(join(bin, 'btcd'), args, join(dir, 'btcd.out'))
  const rpc = async (method: string, params: unknown[] = []) => {
    const ca = await readFile(join(dir, 'rpc.cert'))
    const body = JSON.stringify({ jsonrpc: '1.0', id: 1, method, params })
    const text = await new Promise<string>((resolve, reject) => {
      const call = request(
        {
          host: '127.0.0.1',
          port: ports.rpc,
          method: 'POST',
          ca,
          auth: 'regtest:regtest',
          headers: { 'content-type': 'application/json' },
        },
        (response) => {
          let data = ''
          response.on('data', (chunk) => {
            data += chunk
          })
          response.on('end', () => resolve(data))
        },
      )
      call.on('error', reject)
      call.end(body)
    })
    const reply = JSON.parse(text) as { result: unknown; error: { message: string } | null }
    if (reply.error) throw new Error(`btcd ${method}: ${reply.error.message}`)
    return reply.result
  }
  await until(
    'btcd to answer',
    async () => existsSync(join(dir, 'rpc.cert')) && (await rpc('getblockcount')) !== undefined,
  )
  return { rpc }
}

async function startLnd(
  processes: Processes,
  bin: string,
  name: string,
  dir: string,
  btcd: { rpcPort: number; certPath: string },
): Promise<LndNode> {
  await mkdir(dir, { recursive: true })
  const [rpc, rest, p2p] = [await freePort(), await freePort(), await freePort()]
  const args = [
    `--lnddir=${dir}`,
    '--noseedbackup',
    '--bitcoin.active',
    '--bitcoin.regtest',
    '--bitcoin.node=btcd',
    `--btcd.rpchost=127.0.0.1:${btcd.rpcPort}`,
    '--btcd.rpcuser=regtest',
    '--btcd.rpcpass=regtest',
    `--btcd.rpccert=${btcd.certPath}`,
    `--rpclisten=127.0.0.1:${rpc}`,
    `--restlisten=127.0.0.1:${rest}`,
    `--listen=127.0.0.1:${p2p}`,
    `--alias=${name}`,
    '--debuglevel=info',
    '--maxpendingchannels=10',
    '--trickledelay=50',
    '--bitcoin.defaultchanconfs=1',
  ]
  processes.start(join(bin, 'lnd'), args, join(dir, 'lnd.out'))
  const certPath = join(dir, 'tls.cert')
  const adminMacaroonPath = join(dir, 'data/chain/bitcoin/regtest/admin.macaroon')
  const socket = `127.0.0.1:${rpc}`
  const lnd = await until(
    `LND ${name} to start`,
    async () => {
      if (!existsSync(adminMacaroonPath)) return undefined
      const { lnd } = authenticatedLndGrpc({
        cert: (await readFile(certPath)).toString('base64'),
        macaroon: (await readFile(adminMacaroonPath)).toString('hex'),
        socket,
      })
      await getWalletInfo({ lnd })
      return lnd
    },
    120_000,
  )
  const info = await getWalletInfo({ lnd })
  return {
    name,
    lnd,
    publicKey: info.public_key,
    socket,
    rest: `https://127.0.0.1:${rest}`,
    p2p: `127.0.0.1:${p2p}`,
    certPath,
    adminMacaroonPath,
    dir,
  }
}

async function synced(node: LndNode, height: number): Promise<boolean> {
  const info = await getWalletInfo({ lnd: node.lnd })
  return info.is_synced_to_chain && info.current_block_height >= height
}

export async function startRegtestNetwork(): Promise<RegtestNetwork> {
  const bin = regtestBinaries()
  const dir = await mkdtemp(join(tmpdir(), 'regtest-'))
  const processes = new Processes()
  try {
    const btcdDir = join(dir, 'btcd')
    await mkdir(btcdDir, { recursive: true })
    const btcdPorts = { rpc: await freePort(), p2p: await freePort() }
    const backend = await startBtcd(processes, bin, btcdDir, btcdPorts)
    const btcdInfo = { rpcPort: btcdPorts.rpc, certPath: join(btcdDir, 'rpc.cert') }
    const [a, b] = await Promise.all([
      startLnd(processes, bin, 'alice', join(dir, 'a'), btcdInfo),
      startLnd(processes, bin, 'bob', join(dir, 'b'), btcdInfo),
    ])
    const { address } = await createChainAddress({ lnd: a.lnd, format: 'p2wpkh' })
    const minerDir = join(dir, 'miner')
    await mkdir(minerDir, { recursive: true })
    const miner = await startBtcd(
      processes,
      bin,
      minerDir,
      { rpc: await freePort(), p2p: await freePort() },
      { address, peer: `127.0.0.1:${btcdPorts.p2p}` },
    )
    await until('the miner to reach the backend', async () => {
      const peers = (await backend.rpc('getpeerinfo')) as unknown[]
      return peers.length > 0
    })
    const mine = async (blocks: number) => {
      for (let left = blocks; left > 0; left -= 100) await miner.rpc('generate', [Math.min(left, 100)])
      const height = (await miner.rpc('getblockcount')) as number
      const heights = async () =>
        `backend ${await backend.rpc('getblockcount')}, A ${(await getWalletInfo({ lnd: a.lnd })).current_block_height}, B ${(await getWalletInfo({ lnd: b.lnd })).current_block_height}`
      await until(
        `the nodes to sync to ${height}`,
        async () => (await synced(a, height)) && (await synced(b, height)),
        120_000,
        heights,
      )
    }
    await mine(500)
    await until('A to see its coins', async () => (await getChainBalance({ lnd: a.lnd })).chain_balance > 0)
    await addPeer({ lnd: a.lnd, public_key: b.publicKey, socket: b.p2p })
    await openChannel({
      lnd: a.lnd,
      partner_public_key: b.publicKey,
      local_tokens: 10_000_000,
      give_tokens: 4_000_000,
      chain_fee_tokens_per_vbyte: 2,
    })
    await until(
      'the funding transaction',
      async () => ((await miner.rpc('getrawmempool')) as string[]).length > 0,
    )
    await mine(6)
    await until('the channel to be active on both sides', async () => {
      const [ofA, ofB] = await Promise.all([getChannels({ lnd: a.lnd }), getChannels({ lnd: b.lnd })])
      return ofA.channels.some((c) => c.is_active) && ofB.channels.some((c) => c.is_active)
    })
    return { a, b, dir, mine, stop: () => processes.stopAll() }
  } catch (error) {
    await processes.stopAll()
    throw new Error(`regtest network did not come up (logs in ${dir}): ${(error as Error).message}`)
  }
}
