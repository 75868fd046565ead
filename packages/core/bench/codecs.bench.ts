/**
 * Codec benchmark (issue: the two hand-written codecs on well-kept libraries): CBOR encode and
 * decode of a typical V4 token body, and BOLT 11 decoding of the spec's "cup of coffee" example,
 * signature check included. It reaches the codecs only through `encodeCbor`/`decodeCbor` and
 * `decodeBolt11`, so the same file also runs on a checkout from before the change, to compare.
 * Run: `pnpm bench:codecs` (BENCH_MS sets the measured time per row, default 2000).
 */
import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { type BenchResult, bench, printTable } from './harness.ts'

const durationMs = Number(process.env.BENCH_MS ?? 2000)

// Imported first and timed: the BOLT 11 decoder's import is what a process pays once at start.
const importStart = performance.now()
const { decodeBolt11 } = await import('../src/lightning/bolt11.ts')
const importMs = performance.now() - importStart
const { decodeCbor, encodeCbor } = await import('../src/token/cbor.ts')

interface VectorProof {
  a: number
  s: string
  c: string
}
const vectors = JSON.parse(
  readFileSync(new URL('../test/vectors/nut00-vectors.json', import.meta.url), 'utf8'),
)
const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'))
// NUT-00's "multiple keysets" token, each proof with a DLEQ, and one amount above 2^53.
const { t: groups, m, u } = vectors.tokenV4Serialization[1].token
const token = {
  t: groups.map((group: { i: string; p: VectorProof[] }, g: number) => ({
    i: hex(group.i),
    p: group.p.map((proof, k) => ({
      a: g === 0 && k === 0 ? 2n ** 63n + 5n : BigInt(proof.a),
      s: proof.s,
      c: hex(proof.c),
      d: { e: hex('11'.repeat(32)), s: hex('22'.repeat(32)), r: hex('33'.repeat(32)) },
    })),
  })),
  m,
  u,
}
const bytes = encodeCbor(token)
const invoice =
  'lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh'

const rows: BenchResult[] = [
  bench(`CBOR encode: V4 token (${bytes.length} bytes)`, () => encodeCbor(token), { durationMs }),
  bench('CBOR decode: the same token', () => decodeCbor(bytes), { durationMs }),
  bench('BOLT 11 decode (with signature check)', () => decodeBolt11(invoice), { durationMs }),
]
console.log(`${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}`)
console.log(`import of lightning/bolt11.ts: ${importMs.toFixed(0)} ms`)
printTable('Codecs (single thread)', rows)
