/** What the benchmarks compute and where they write it. */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The value below which a share `p` of the sorted values lies. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
}

/** The values as `low-high` (one value alone when they agree once formatted). */
export function range(values: readonly number[], format: (n: number) => string): string {
  const low = format(Math.min(...values))
  const high = format(Math.max(...values))
  return low === high ? low : `${low}-${high}`
}

/**
 * Replaces the text between `<!-- <name>: written by <command> with BENCH_WRITE=1 -->` and
 * `<!-- end of <name> -->` in docs/benchmarks.md with a dated table.
 */
export function writeBenchmarkSection(name: string, command: string, table: string): void {
  const doc = join(import.meta.dirname, '../../../../docs/benchmarks.md')
  const begin = `<!-- ${name}: written by ${command} with BENCH_WRITE=1 -->`
  const end = `<!-- end of ${name} -->`
  const text = readFileSync(doc, 'utf8')
  const from = text.indexOf(begin)
  const to = text.indexOf(end)
  if (from < 0 || to < from) throw new Error(`docs/benchmarks.md has no ${name} markers`)
  const stamp = `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`
  writeFileSync(doc, `${text.slice(0, from + begin.length)}\n${stamp} ${table}\n${text.slice(to)}`)
}
