/**
 * The mint as operators run it (`node apps/mint/src/main.ts`), in a child process that a test can
 * stop cleanly or kill outright.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const main = join(import.meta.dirname, '../../src/main.ts')

/** Node flag for running the workspace from its TypeScript sources (the `development` export condition), as tests do. */
export const SOURCES = '--conditions=development'

export interface MintProcess {
  url: string
  /** Everything the process printed, stdout and stderr. */
  output(): string
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>
  kill(signal: NodeJS.Signals): Promise<void>
}

export function spawnMint(env: Record<string, string>): { child: ChildProcess; process: MintProcess } {
  const child = spawn(process.execPath, [SOURCES, main], {
    env: { ...process.env, CASHU_MINT_WORKERS: '1', CASHU_MINT_HOST: '127.0.0.1', ...env },
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return {
    child,
    process: {
      url: `http://127.0.0.1:${env.CASHU_MINT_PORT}`,
      output: () => output,
      exited,
      async kill(signal) {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal)
        await exited
      },
    },
  }
}

/** Starts the mint and waits until it listens; fails with its output if it exits first. */
export async function startMintProcess(env: Record<string, string>): Promise<MintProcess> {
  const { child, process: mint } = spawnMint(env)
  const deadline = Date.now() + 60_000
  while (!mint.output().includes('"mint listening"')) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the mint exited (${child.exitCode ?? child.signalCode}): ${mint.output()}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`the mint did not start in 60 s: ${mint.output()}`)
    }
    await sleep(100)
  }
  return mint
}
