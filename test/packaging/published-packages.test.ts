/**
 * The packages as a stranger gets them: every package is built and packed, and the tarballs are
 * installed with npm into an empty project outside this repository. There, plain Node 22 and 24
 * import every export; the embedding guide's example (docs/embedding.md, taken from the guide as it
 * stands) is type-checked against the published types, compiled and run: an engine on PGlite with
 * the FakeWallet, a cashu-ts wallet that mints, swaps and pays, and a Fastify API behind the NUT-24
 * paywall that the wallet pays; and `npx cashu-mint start` serves a mint.
 */
import { execFile, execFileSync, spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../..')
const run = promisify(execFile)
/** Versions of what the example uses besides our packages, pinned like the workspace's. */
const THIRD_PARTY = {
  '@cashu/cashu-ts': '4.8.0',
  '@hono/node-server': '2.1.8',
  fastify: '5.12.8',
  typescript: '6.0.3',
  '@types/node': '24.19.2',
}

let scratch: string
let tarballs: Record<string, string>

/** The code blocks of docs/embedding.md marked `file=<name>`, joined per file. */
async function guideFiles(): Promise<Record<string, string>> {
  const guide = await readFile(join(root, 'docs/embedding.md'), 'utf8')
  const files: Record<string, string> = {}
  for (const [, name, code] of guide.matchAll(/```ts file=(\S+)\n([\s\S]*?)```/g))
    files[name as string] = `${files[name as string] ?? ''}${code}`
  return files
}

beforeAll(async () => {
  const packs = await mkdtemp(join(tmpdir(), 'cashu-mint-packs-'))
  execFileSync(
    'pnpm',
    ['-r', '--filter', './packages/*', '--filter', 'cashu-mint', 'pack', '--pack-destination', packs],
    {
      cwd: root,
      stdio: 'ignore',
    },
  )
  tarballs = {}
  for (const file of await readdir(packs)) {
    const manifest = JSON.parse(
      execFileSync('tar', ['xzf', join(packs, file), '-O', 'package/package.json'], { encoding: 'utf8' }),
    )
    tarballs[manifest.name] = join(packs, file)
  }
  scratch = await mkdtemp(join(tmpdir(), 'cashu-mint-consumer-'))
  const dependencies = {
    ...Object.fromEntries(Object.entries(tarballs).map(([name, path]) => [name, `file:${path}`])),
    ...THIRD_PARTY,
  }
  await writeFile(
    join(scratch, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies }, null, 2),
  )
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: scratch,
    timeout: 600_000,
  })
}, 900_000)

describe('the published packages, installed with npm outside the workspace', () => {
  it('pack the nine packages, with built JavaScript, types and source maps, and no TypeScript to run', async () => {
    expect(Object.keys(tarballs).sort()).toEqual([
      '@cashu-mint/accept',
      '@cashu-mint/cdk-processor',
      '@cashu-mint/core',
      '@cashu-mint/fake-wallet',
      '@cashu-mint/lnbits',
      '@cashu-mint/lnd',
      '@cashu-mint/signer',
      '@cashu-mint/storage',
      'cashu-mint',
    ])
    for (const name of Object.keys(tarballs)) {
      const manifest = JSON.parse(await readFile(join(scratch, 'node_modules', name, 'package.json'), 'utf8'))
      for (const [path, target] of Object.entries<Record<string, string> | string>(manifest.exports)) {
        if (typeof target === 'string') continue
        expect(target.import, `${name} ${path}`).toMatch(/^\.\/dist\/.*\.js$/)
        expect(target.types, `${name} ${path}`).toMatch(/^\.\/dist\/.*\.d\.ts$/)
        await readFile(join(scratch, 'node_modules', name, `${target.import}.map`))
      }
      // Nothing a consumer needs comes from the workspace.
      expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain('workspace:')
    }
  })

  it('import every export with plain Node 22 and Node 24', async () => {
    const node22 = execFileSync('bash', [join(root, 'scripts/node22.sh')], { encoding: 'utf8' }).trim()
    const specifiers: string[] = []
    for (const name of Object.keys(tarballs)) {
      const manifest = JSON.parse(await readFile(join(scratch, 'node_modules', name, 'package.json'), 'utf8'))
      for (const path of Object.keys(manifest.exports))
        if (path !== './package.json') specifiers.push(path === '.' ? name : `${name}/${path.slice(2)}`)
    }
    expect(specifiers.length).toBeGreaterThanOrEqual(13)
    const script = `for (const s of ${JSON.stringify(specifiers)}) { const m = await import(s); if (Object.keys(m).length === 0) throw new Error(s + ' exports nothing') }\nconsole.log('imported ' + ${specifiers.length} + ' exports on ' + process.version)`
    await writeFile(join(scratch, 'import-all.mjs'), script)
    for (const node of [node22, process.execPath]) {
      // No type stripping: if any export led to TypeScript, this fails.
      const flags = node === node22 ? [] : ['--no-experimental-strip-types']
      const { stdout } = await run(node, [...flags, 'import-all.mjs'], { cwd: scratch })
      expect(stdout).toMatch(/^imported \d+ exports on v(22|24)\./)
    }
  })

  it("type-check and run the embedding guide's example: engine, cashu-ts wallet, Fastify paywall", async () => {
    const files = await guideFiles()
    expect(Object.keys(files)).toEqual(['backend.ts'])
    await writeFile(join(scratch, 'backend.ts'), files['backend.ts'] as string)
    const tsconfig = {
      compilerOptions: {
        target: 'es2022',
        module: 'nodenext',
        strict: true,
        outDir: 'build',
        types: ['node'],
        skipLibCheck: true,
      },
      files: ['backend.ts'],
    }
    await writeFile(join(scratch, 'tsconfig.json'), JSON.stringify(tsconfig))
    await run(join(scratch, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: scratch }).catch(
      (error) => {
        throw new Error(`the guide's example does not type-check:\n${error.stdout}${error.stderr}`)
      },
    )
    const { stdout } = await run(process.execPath, ['--no-experimental-strip-types', 'build/backend.js'], {
      cwd: scratch,
      timeout: 60_000,
    })
    expect(stdout).toContain('paid a 10 sat invoice: PAID')
    expect(stdout).toMatch(/without a token: 402, asking for creqA/)
    expect(stdout).toMatch(/with a token: 200, receipt [0-9a-f-]{36}/)
    expect(stdout).toMatch(/metered: 200, paid 10, got 7 back/)
  })

  it('start a mint with `npx cashu-mint start` that answers /v1/info, then stop it', async () => {
    const data = await mkdtemp(join(tmpdir(), 'cashu-mint-npx-'))
    // In its own process group, to stop it as Ctrl-C in a terminal does: the signal reaches npx and the mint.
    const child = spawn('npx', ['cashu-mint', 'start'], {
      cwd: scratch,
      detached: true,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        CASHU_MINT_PORT: '0',
        CASHU_MINT_ADMIN_PORT: '0',
        CASHU_MINT_DATA_DIR: data,
      },
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    const deadline = Date.now() + 60_000
    let url: string | undefined
    while (!url && Date.now() < deadline) {
      url = output.match(/"url":"(http:[^"]+)"/)?.[1]
      await sleep(100)
    }
    expect(url, output).toBeDefined()
    const info = (await (await fetch(`${url}/v1/info`)).json()) as { name: string; pubkey: string }
    expect(info.name).toBe('cashu-mint')
    expect(info.pubkey).toMatch(/^0[23][0-9a-f]{64}$/)
    process.kill(-(child.pid as number), 'SIGINT')
    await exited
    const stopAt = Date.now() + 20_000
    while (!output.includes('finishing in-flight requests and stopping') && Date.now() < stopAt)
      await sleep(100)
    expect(output).toContain('finishing in-flight requests and stopping')
    await sleep(1000)
    await expect(fetch(`${url}/v1/info`)).rejects.toThrow()
  })
})
