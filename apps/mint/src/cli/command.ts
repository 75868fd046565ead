/**
 * What a `cashu-mint` command is: a name, its subcommands and options with their help (from which
 * `--help` is generated), and a handler that answers a result (printed with --json) and its text.
 */
import type { ServerConfig } from '../config/config.ts'
import type { AdminClient } from './admin-client.ts'

export class UsageError extends Error {}

export interface OptionSpec {
  type: 'string' | 'boolean'
  multiple?: boolean
  /** The value's name in the help, e.g. UNIT. */
  value?: string
  help: string
}

/** Parsed options: strings, booleans, and arrays for `multiple` ones. */
export type Values = Record<string, string | boolean | string[] | undefined>

export interface CommandInput {
  /** The first positional after the command (`list` in `keysets list`). */
  sub: string | undefined
  /** Positionals after the subcommand (`ID` in `quotes show ID`). */
  rest: string[]
  values: Values
  config: ServerConfig
  admin: AdminClient
}

export interface Outcome {
  result: unknown
  text: string
}

export interface Command {
  name: string
  /** The arguments after the name, for the overview: `list|rotate`, `<folder>`. */
  args?: string
  /** One line for the overview. */
  summary: string
  /** What the command does, below its usage lines. */
  description?: string
  /** Each usage line after `cashu-mint NAME` (default: `args`). */
  usage?: string[]
  options?: Record<string, OptionSpec>
  /** Undefined when the command took over the process (`start`). */
  run(input: CommandInput): Promise<Outcome | undefined>
}

/** A string option that must be there. */
export function required(values: Values, name: string): string {
  const value = values[name]
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`)
  return value
}

/** An optional string option. */
export const optional = (values: Values, name: string): string | undefined => {
  const value = values[name]
  return typeof value === 'string' ? value : undefined
}

export function whole(text: string, name: string): bigint {
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`--${name} must be a whole number`)
  return BigInt(text)
}

/** The subcommand, one of `allowed`. */
export function subcommand(input: CommandInput, command: string, allowed: string[]): string {
  if (!input.sub || !allowed.includes(input.sub))
    throw new UsageError(`cashu-mint ${command} ${allowed.join('|')}`)
  return input.sub
}

const show = (value: unknown) => (typeof value === 'bigint' ? value.toString() : String(value))

/** Rows as aligned text columns. */
export function table(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => show(r[c] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  return [line([...columns]), ...rows.map((r) => line(columns.map((c) => show(r[c] ?? ''))))].join('\n')
}
