/**
 * Hostile input against the real HTTP service, on PGlite and on PostgreSQL: 5,000 fuzzed requests
 * each (`pnpm fuzz` runs 100,000 and records the figures in docs/reliability.md). A failure prints
 * its seed and index; `FUZZ_SEED=<seed>` replays the same campaign.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCampaign } from './fuzz-campaign.ts'
import { type FuzzTarget, startFuzzTarget } from './fuzz-target.ts'

const RUNS = Number(process.env.FUZZ_RUNS ?? 5000)
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31)

describe.each(['PGlite', 'PostgreSQL'] as const)('fuzzing every endpoint on %s', (database) => {
  let target: FuzzTarget
  beforeAll(async () => {
    target = await startFuzzTarget(database)
  })
  afterAll(async () => {
    await target?.stop()
  })

  it(`answers ${RUNS} hostile requests without a 5xx, a dropped connection or an error without its field`, async () => {
    const result = await runCampaign(target, RUNS, SEED)
    const shown = result.failures.slice(0, 10).map((f) => ({
      seed: f.seed,
      index: f.index,
      problem: f.problem,
      endpoint: f.request.endpoint,
      path: f.request.path.slice(0, 120),
      body: f.request.body === undefined ? undefined : Buffer.from(f.request.body).toString().slice(0, 300),
    }))
    expect(shown, `seed ${SEED}: ${result.failures.length} failures`).toEqual([])
    expect(result.aftermath).toEqual([])
    expect(result.requests).toBe(RUNS)
    // Every template was exercised.
    expect(result.byEndpoint.size).toBe(target.templates.length)
  })
})
