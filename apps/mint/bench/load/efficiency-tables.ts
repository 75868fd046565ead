/**
 * The efficiency benchmark's tables: every run, then one row per mint for the service table of
 * docs/benchmarks.md with its ratios to the peers, and the memory table. A cell over several runs is
 * their range; a ratio is of means. Runs with errors are left out of both when the mint had a run
 * without: a mint that failed requests did not serve that load.
 */

import { range } from './figures.ts'
import type { SwapFigures } from './measure-swaps.ts'

export interface EfficiencyResult extends SwapFigures {
  mint: string
  idleRss: number
  afterLoadRss: number
}

/** Each peer on its default database, SQLite; a ratio column pair for each that ran. */
const REFERENCES = [
  { mint: 'cdk-mintd 0.18.3, SQLite', short: 'cdk-mintd' },
  { mint: 'Nutshell 0.21.0, SQLite', short: 'Nutshell' },
]

const MB = 1024 * 1024
const f = (n: number, digits = 1) => n.toFixed(digits)
const whole = (n: number) => f(n, 0)
const hundredths = (n: number) => f(n, 2)
const mb = (bytes: number) => `${Math.round(bytes / MB)}`
const optional = (n: number | undefined, text: (n: number) => string) => (n === undefined ? '–' : text(n))
export const failed = (errors: number) => `${errors} error${errors === 1 ? '' : 's'}`

export function perRunTable(results: readonly EfficiencyResult[]): string {
  return [
    '| mint | swaps/s | p50 ms | p99 ms | CPU/swap ms | PostgreSQL CPU/swap ms | peak RSS MB | largest process MB | idle RSS MB | RSS after the load MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map((r) => {
      const cells = [r.mint, whole(r.perSecond), f(r.p50), f(r.p99), hundredths(r.cpuPerSwap)]
      cells.push(optional(r.pgCpuPerSwap, hundredths), mb(r.peakRss), mb(r.peakProcessRss))
      cells.push(mb(r.idleRss), mb(r.afterLoadRss))
      return `| ${cells.join(' | ')} |${r.errors ? ` ${failed(r.errors)}` : ''}`
    }),
  ].join('\n')
}

/** One mint's runs, and those its row shows: the ones without errors, or all when none was without. */
function runsOf(results: readonly EfficiencyResult[], name: string) {
  const all = results.filter((r) => r.mint === name)
  const clean = all.filter((r) => r.errors === 0)
  return { all, shown: clean.length ? clean : all, clean: clean.length }
}

type Pick = (r: EfficiencyResult) => number | undefined

function cell(results: readonly EfficiencyResult[], name: string, pick: Pick, text: (n: number) => string) {
  const values = runsOf(results, name)
    .shown.map(pick)
    .filter((v) => v !== undefined)
  return values.length ? range(values, text) : '–'
}

function mean(results: readonly EfficiencyResult[], name: string, pick: (r: EfficiencyResult) => number) {
  const { shown } = runsOf(results, name)
  return shown.length ? shown.reduce((a, r) => a + pick(r), 0) / shown.length : undefined
}

/** `*` when one side had no run without errors (Nutshell under this load may have none). */
function ratio(
  results: readonly EfficiencyResult[],
  name: string,
  reference: string,
  pick: (r: EfficiencyResult) => number,
) {
  const a = mean(results, name, pick)
  const b = mean(results, reference, pick)
  if (name === reference || a === undefined || b === undefined) return '–'
  const mark = runsOf(results, name).clean && runsOf(results, reference).clean ? '' : '*'
  return `${(a / b).toFixed(2)}x${mark}`
}

/** The service table: `context` (clients, time, machine, command) first, then a row per mint and the ratios. */
export function serviceTable(results: readonly EfficiencyResult[], context: string): string {
  const names = [...new Set(results.map((r) => r.mint))]
  const references = REFERENCES.filter((r) => names.includes(r.mint))
  const row = (name: string) => {
    const { all, clean } = runsOf(results, name)
    const errors = all.filter((r) => r.errors).map((r) => failed(r.errors))
    const cells = [name, `${clean} of ${all.length}${errors.length ? ` (${errors.join(', ')})` : ''}`]
    cells.push(cell(results, name, (r) => r.perSecond, whole))
    cells.push(
      cell(results, name, (r) => r.p50, f),
      cell(results, name, (r) => r.p99, f),
    )
    cells.push(cell(results, name, (r) => r.cpuPerSwap, hundredths))
    cells.push(cell(results, name, (r) => r.pgCpuPerSwap, hundredths))
    cells.push(
      cell(results, name, (r) => r.peakRss, mb),
      cell(results, name, (r) => r.idleRss, mb),
    )
    return `| ${cells.join(' | ')} |`
  }
  const ratioRow = (name: string) => {
    const pairs = references.map(
      (r) =>
        `${ratio(results, name, r.mint, (x) => x.cpuPerSwap)} | ${ratio(results, name, r.mint, (x) => x.perSecond)}`,
    )
    return `| ${name} | ${pairs.join(' | ')} |`
  }
  const ratios = references.length
    ? [
        `Against ${references.map((r) => r.mint).join(' and ')}, on the means of the runs without errors (\`*\`: of all runs, where one side had none without errors). CPU/swap below 1x is less CPU a swap, swaps/s above 1x more swaps a second:`,
        '',
        `| mint | ${references.map((r) => `CPU/swap against ${r.short} | swaps/s against ${r.short}`).join(' | ')} |`,
        `| --- |${' ---: | ---: |'.repeat(references.length)}`,
        ...names.map(ratioRow),
      ]
    : ['Neither cdk-mintd nor Nutshell ran: no ratios.']
  return [
    context,
    '',
    '| mint | runs without errors | swaps/s | p50 ms | p99 ms | CPU/swap ms | PostgreSQL CPU/swap ms | peak RSS MB | idle RSS MB |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...names.map(row),
    '',
    ...ratios,
  ].join('\n')
}

/** The memory table: each mint's RSS idle, at its peak under the load, and after it. */
export function memoryTable(results: readonly EfficiencyResult[], context: string): string {
  const names = [...new Set(results.map((r) => r.mint))]
  const row = (name: string) => {
    const cells = [name, cell(results, name, (r) => r.idleRss, mb), cell(results, name, (r) => r.peakRss, mb)]
    cells.push(
      cell(results, name, (r) => r.peakProcessRss, mb),
      cell(results, name, (r) => r.afterLoadRss, mb),
    )
    return `| ${cells.join(' | ')} |`
  }
  return [
    context,
    '',
    '| mint | idle MB | under load, peak MB | largest process under load MB | after the load MB |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...names.map(row),
  ].join('\n')
}
