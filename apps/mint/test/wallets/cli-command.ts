/** Runs a wallet CLI as a user would: its output back, or an error carrying it when it exits non-zero. */
import { spawn } from 'node:child_process'

export interface CliOptions {
  env?: Record<string, string>
  /** Typed at the CLI's prompt (e.g. a mnemonic). */
  input?: string
  timeoutMs?: number
  /** The working folder; the test's own by default. */
  cwd?: string
}

export function runCli(command: string, args: readonly string[], options: CliOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...options.env },
      timeout: options.timeoutMs ?? 90_000,
      ...(options.cwd ? { cwd: options.cwd } : {}),
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stdin.end(options.input ?? '')
    child.once('error', reject)
    child.once('close', (code, signal) => {
      if (code === 0) resolve(output)
      else reject(new Error(`${command} ${args.join(' ')} exited ${code ?? signal}:\n${output}`))
    })
  })
}

/** The last cashuA/cashuB token a command printed. */
export function lastToken(output: string): string {
  const tokens = output.match(/cashu[AB][A-Za-z0-9_\-+/=]+/g)
  const token = tokens?.at(-1)
  if (!token) throw new Error(`no token in the output:\n${output}`)
  return token
}
