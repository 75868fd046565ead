/**
 * The service's folders import one way: config <- observability <- api <- public, admin <- the
 * entry points (server, main, index) <- cli. The public NUT API and the operator's admin API never
 * import each other.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { expect, it } from 'vitest'

const RANK: Record<string, number> = {
  config: 0,
  observability: 1,
  api: 2,
  public: 3,
  admin: 3,
  '.': 4,
  cli: 5,
}
const here = import.meta.dirname

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(folder, entry.name))
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')
        ? [join(folder, entry.name)]
        : [],
  )
}

const folderOf = (file: string) => relative(here, dirname(file)) || '.'

it('puts every source file in a known folder, and imports only run downward', () => {
  const wrong: string[] = []
  for (const file of sources(here)) {
    const from = folderOf(file)
    expect(RANK[from], `${relative(here, file)} is in an unknown folder`).toBeDefined()
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
      const to = folderOf(resolve(dirname(file), spec as string))
      const ok = to === from || (RANK[to] as number) < (RANK[from] as number)
      if (!ok) wrong.push(`${relative(here, file)} imports ${spec} (${from} -> ${to})`)
    }
  }
  expect(wrong).toEqual([])
})
