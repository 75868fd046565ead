#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=40 --expose-gc --liftoff-only
/**
 * `cashu-mint`: the operator's command line. It reads the same configuration as the service
 * (CASHU_MINT_* and CASHU_MINT_CONFIG_FILE). `init`, `start`, `migrate` and `restore` work on the
 * data folder and database directly; everything else talks to the running mint's admin listener,
 * so it works with PGlite (one process) as with PostgreSQL, and every instance sees the change.
 * The commands are a table (commands/index.ts); the help is made from it.
 */
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util'
import { stringifyJson } from '@cashu-mint/core/protocol'
import { loadConfig } from '../config/config.ts'
import { adminClient } from './admin-client.ts'
import { type Command, type Outcome, UsageError, type Values } from './command.ts'
import { COMMANDS } from './commands/index.ts'

const COMMON = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
} as const satisfies ParseArgsOptionsConfig

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => `${c.name} ${c.args ?? ''}`.length))
  const lines = COMMANDS.map((c) => `  ${`${c.name} ${c.args ?? ''}`.padEnd(width)}  ${c.summary}`)
  return `cashu-mint <command> [options]

${lines.join('\n')}

Every command takes --help and --json. Configuration comes from the environment and
CASHU_MINT_CONFIG_FILE, as for the service.`
}

function helpOf(command: Command): string {
  const usage = (command.usage ?? [command.args ?? '']).map((u) =>
    `cashu-mint ${command.name} ${u}`.trimEnd(),
  )
  const options = Object.entries(command.options ?? {}).map(([name, o]) => {
    const flag = `--${name}${o.value ? ` ${o.value}` : ''}${o.multiple ? ' ...' : ''}`
    return `  ${flag.padEnd(28)} ${o.help}`
  })
  return [
    ...usage.map((u) => `${u} [--json]`),
    ...(command.description ? ['', ...command.description.split('\n').map((l) => `  ${l}`)] : []),
    ...(options.length ? ['', ...options] : []),
  ].join('\n')
}

const find = (name: string | undefined) => COMMANDS.find((c) => c.name === name)

/** Every command's options: argv is parsed once with all of them, then checked against the command's. */
const OPTIONS = Object.assign({}, COMMON, ...COMMANDS.map((c) => c.options ?? {})) as ParseArgsOptionsConfig

async function run(argv: string[]): Promise<Outcome | undefined> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  })
  const [name, second] = positionals
  const asked = name === 'help' ? second : name
  const command = find(asked)
  for (const option of Object.keys(values))
    if (command && !(option in COMMON) && !(option in (command.options ?? {})))
      throw new UsageError(
        `--${option} is not an option of ${command.name}; try cashu-mint ${command.name} --help`,
      )
  if (values.help || name === undefined || name === 'help') {
    if (asked !== undefined && !command) throw new UsageError(`unknown command "${asked}"`)
    const help = command ? helpOf(command) : overview()
    return { result: { help }, text: help }
  }
  if (!command) throw new UsageError(`unknown command "${name}"; try cashu-mint --help`)
  const config = loadConfig()
  const [, sub, ...rest] = positionals
  return command.run({ sub, rest, values: values as Values, config, admin: adminClient(config) })
}

const json = process.argv.includes('--json')
try {
  const outcome = await run(process.argv.slice(2))
  if (outcome) console.log(json ? stringifyJson(outcome.result, 2) : outcome.text)
} catch (error) {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  const message = (error as Error).message
  if (json) console.log(stringifyJson({ error: message }))
  else console.error(`cashu-mint: ${message}`)
  process.exit(usage ? 2 : 1)
}
