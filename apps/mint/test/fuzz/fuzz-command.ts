// `pnpm fuzz`: the long campaign, 100,000 fuzzed requests on PGlite and on PostgreSQL (FUZZ_RUNS,
// FUZZ_SEED to change), printed by endpoint and written between the markers of docs/reliability.md.
// Exits non-zero on any failure, listing each with the seed and index that replay it.
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { type CampaignResult, runCampaign } from './fuzz-campaign.ts'
import { startFuzzTarget } from './fuzz-target.ts'

const runs = Number(process.env.FUZZ_RUNS ?? 100_000)
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31)
const doc = join(import.meta.dirname, '../../../../docs/reliability.md')

function table(database: string, result: CampaignResult, seconds: number): string {
  const rows = [...result.byEndpoint.entries()].sort(([a], [b]) => a.localeCompare(b))
  const cell = (answers: Record<string, number>, key: string) => String(answers[key] ?? 0)
  const total = (key: string) => rows.reduce((a, [, f]) => a + (f.answers[key] ?? 0), 0)
  const dropped = rows.reduce((a, [, f]) => a + f.dropped, 0)
  return [
    `### ${database}: ${result.requests.toLocaleString('en')} requests in ${seconds} s, seed ${result.seed}`,
    '',
    '| endpoint | requests | 2xx | 4xx | 5xx | dropped | websocket closed (message too big) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      ([endpoint, f]) =>
        `| ${endpoint} | ${f.requests} | ${cell(f.answers, '2xx')} | ${cell(f.answers, '4xx')} | ${cell(f.answers, '5xx')} | ${f.dropped} | ${cell(f.answers, '1009')} |`,
    ),
    `| **all** | **${result.requests}** | ${total('2xx')} | ${total('4xx')} | **${total('5xx')}** | **${dropped}** | ${total('1009')} |`,
    '',
    `Failures: ${result.failures.length}. After the campaign: ${result.aftermath.length === 0 ? 'every proof where it should be; the mint mints and swaps' : result.aftermath.join('; ')}.`,
  ].join('\n')
}

const sections: string[] = []
let failed = false
for (const database of ['PGlite', 'PostgreSQL'] as const) {
  const target = await startFuzzTarget(database)
  const started = performance.now()
  const result = await runCampaign(target, runs, seed)
  const seconds = Math.round((performance.now() - started) / 1000)
  await target.stop()
  const section = table(database, result, seconds)
  console.log(`${section}\n`)
  for (const f of result.failures.slice(0, 50))
    console.log(
      `FAILED seed ${f.seed} index ${f.index}: ${f.request.endpoint} ${f.request.path.slice(0, 100)}: ${f.problem}`,
    )
  failed ||= result.failures.length > 0 || result.aftermath.length > 0
  sections.push(section)
}

const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.versions.node}`
const begin = '<!-- fuzz figures: written by pnpm fuzz -->'
const end = '<!-- end of the fuzz figures -->'
const text = readFileSync(doc, 'utf8')
const from = text.indexOf(begin)
const to = text.indexOf(end)
if (from < 0 || to < from) throw new Error('docs/reliability.md has no fuzz-figures markers')
const stamp = `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}: \`pnpm fuzz\``
writeFileSync(
  doc,
  `${text.slice(0, from + begin.length)}\n${stamp}\n\n${sections.join('\n\n')}\n${text.slice(to)}`,
)
if (failed) process.exitCode = 1
