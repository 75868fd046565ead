/**
 * The one-way import rule the layer tests enforce (apps/mint/src, packages/core/src/mint): every
 * source file sits in a folder with a rank, and a relative import stays in its own top folder or
 * goes to one of lower rank. Folders of equal rank never import each other.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(folder, entry.name))
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')
        ? [join(folder, entry.name)]
        : [],
  )
}

/** The broken rules under `root`: files in unranked folders and imports that run upward or sideways. */
export function layerViolations(root: string, rank: Record<string, number>): string[] {
  const topFolder = (file: string) => relative(root, dirname(file)).split('/')[0] || '.'
  const wrong: string[] = []
  for (const file of sources(root)) {
    const from = topFolder(file)
    if (rank[from] === undefined) {
      wrong.push(`${relative(root, file)} is in an unknown folder`)
      continue
    }
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
      const target = resolve(dirname(file), spec as string)
      if (relative(root, target).startsWith('..')) continue
      const to = topFolder(target)
      const ok = to === from || (rank[to] ?? Number.POSITIVE_INFINITY) < (rank[from] as number)
      if (!ok) wrong.push(`${relative(root, file)} imports ${spec} (${from} -> ${to})`)
    }
  }
  return wrong
}
