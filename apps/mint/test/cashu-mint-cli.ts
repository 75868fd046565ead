/** `cashu-mint` as an operator runs it: a new Node process on the sources, its exit code and output. */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { SOURCES } from './regtest/mint-process.ts'

const cli = join(import.meta.dirname, '../src/cli/cli.ts')

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

export async function runCashuMint(args: string[], env: Record<string, string>): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SOURCES, cli, ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}
