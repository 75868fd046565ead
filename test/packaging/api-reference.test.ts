/**
 * The API reference in docs/api is what TypeDoc makes of the code now: regenerated into a scratch
 * folder and compared file by file, so a changed export cannot leave it behind (`pnpm docs:api`).
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { expect, it } from 'vitest'

const root = join(import.meta.dirname, '../..')

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort()
}

it('docs/api is up to date with the code', async () => {
  const fresh = await mkdtemp(join(tmpdir(), 'api-reference-'))
  execFileSync('pnpm', ['exec', 'typedoc', '--logLevel', 'Error', '--out', fresh], {
    cwd: root,
    stdio: 'ignore',
  })
  const committed = join(root, 'docs/api')
  const files = await filesUnder(fresh)
  expect(await filesUnder(committed), 'files in docs/api (run pnpm docs:api)').toEqual(files)
  for (const file of files) {
    const [a, b] = await Promise.all([
      readFile(join(fresh, file), 'utf8'),
      readFile(join(committed, file), 'utf8'),
    ])
    expect(b, `docs/api/${file} (run pnpm docs:api)`).toBe(a)
  }
})
