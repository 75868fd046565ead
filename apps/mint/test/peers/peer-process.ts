/**
 * A peer no one here wrote (CDK's payment processor, LNbits, a signatory, a relay) in a child
 * process: started with its environment, ready when `ready` says so, its output kept for the error
 * when it is not, and stopped (or killed outright, as a crash) by the test.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { connect } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

export const root = join(import.meta.dirname, '../../../..')

/** A tool one of scripts/ builds or installs once per machine, by its path. */
export const tool = (script: string) =>
  execFileSync('bash', [join(root, 'scripts', script)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim()

/** Whether something accepts connections on the port of this machine (a peer that serves gRPC). */
export const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => resolve(socket.end() && true))
    socket.once('error', () => resolve(false))
  })

export interface PeerProcess {
  output(): string
  exited: Promise<number | null>
  kill(signal?: NodeJS.Signals): Promise<void>
}

export async function startPeer(options: {
  name: string
  command: string
  args?: string[]
  env: Record<string, string>
  cwd?: string
  /** Resolves true once the peer serves. */
  ready: () => Promise<boolean>
  timeoutMs?: number
}): Promise<PeerProcess> {
  // Its own process group, so stopping it stops what it started too (LNbits serves from a child
  // process, which would otherwise outlive it and hold our end of its output open).
  const child: ChildProcess = spawn(options.command, options.args ?? [], {
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
    detached: true,
  })
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal)
    } catch {
      // The group is gone already.
    }
  }
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  const peer: PeerProcess = {
    output: () => output,
    exited,
    async kill(signal = 'SIGTERM') {
      signalGroup(signal)
      const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
      // Whatever of the group outlived its leader goes too.
      signalGroup('SIGKILL')
    },
  }
  const deadline = Date.now() + (options.timeoutMs ?? 60_000)
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${options.name} exited (${child.exitCode ?? child.signalCode}): ${output}`)
    if (await options.ready().catch(() => false)) return peer
    if (Date.now() > deadline) {
      await peer.kill('SIGKILL')
      throw new Error(`${options.name} did not start in time: ${output}`)
    }
    await sleep(200)
  }
}
