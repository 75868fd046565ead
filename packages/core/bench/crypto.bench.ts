/**
 * Crypto benchmark (issue: foundation): sign + DLEQ per output and verify per input, on the
 * native libsecp256k1 backend and the pure-JS noble backend, next to the raw library calls the
 * same work needs (the floor: three point multiplications to sign with a DLEQ, one to verify).
 * Run: `pnpm bench` (BENCH_MS sets the measured time per row, default 2000).
 */
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { cpus } from 'node:os'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { blindMessage, signBlindedMessage, verifyUnblinded } from '../src/crypto/bdhke.ts'
import { type CurveBackend, compressPoint } from '../src/crypto/curve-backend.ts'
import { hashSecretToCurve } from '../src/crypto/hash-to-curve.ts'
import { nobleBackend } from '../src/crypto/noble-backend.ts'
import { selectCurveBackend } from '../src/crypto/select-backend.ts'
import { type BenchResult, bench, printTable } from './harness.ts'

interface RawSecp256k1 {
  publicKeyCreate(scalar: Uint8Array, compressed: boolean): Uint8Array
  publicKeyTweakMul(point: Uint8Array, scalar: Uint8Array, compressed: boolean): Uint8Array
}

const durationMs = Number(process.env.BENCH_MS ?? 2000)
const raw = createRequire(import.meta.url)('secp256k1/bindings') as RawSecp256k1
const native = selectCurveBackend('native')

const k = Uint8Array.from(randomBytes(32))
const r = Uint8Array.from(randomBytes(32))
const secret = randomBytes(32).toString('hex')

function fixtures(curve: CurveBackend) {
  const K = curve.multiplyBase(k)
  const B_ = blindMessage(curve, secret, Uint8Array.from(randomBytes(32)))
  const { C_ } = signBlindedMessage(curve, k, K, B_)
  const C = compressPoint(curve.multiply(hashSecretToCurve(curve, secret), k))
  return { K, B_, C_, C }
}

const rows: (BenchResult & { note?: string })[] = []
const { K, B_, C } = fixtures(native)
const Y = hashSecretToCurve(native, secret)

const rawSign = bench(
  'raw libsecp256k1: 3 multiplications (sign+DLEQ)',
  () => {
    raw.publicKeyTweakMul(B_, k, false)
    raw.publicKeyCreate(r, false)
    raw.publicKeyTweakMul(B_, r, false)
  },
  { durationMs },
)
const rawVerify = bench(
  'raw libsecp256k1: 1 multiplication (verify)',
  () => raw.publicKeyTweakMul(Y, k, true),
  {
    durationMs,
  },
)
rows.push(rawSign, rawVerify)

for (const curve of [native, nobleBackend]) {
  const f = fixtures(curve)
  const ms = curve.name === 'noble' ? Math.min(durationMs, 1000) : durationMs
  const sign = bench(`${curve.name}: sign + DLEQ per output`, () => signBlindedMessage(curve, k, f.K, f.B_), {
    durationMs: ms,
  })
  const verify = bench(
    `${curve.name}: verify per input (hash_to_curve + k*Y)`,
    () => verifyUnblinded(curve, k, secret, f.C),
    {
      durationMs: ms,
    },
  )
  rows.push(
    { ...sign, note: `${(sign.mean / rawSign.mean).toFixed(2)}x raw` },
    { ...verify, note: `${(verify.mean / rawVerify.mean).toFixed(2)}x raw` },
  )
}

const noblePoint = secp256k1.Point.fromBytes(compressPoint(K))
const nobleScalar = BigInt(`0x${Buffer.from(k).toString('hex')}`)
rows.push(bench('raw noble: 1 multiplication', () => noblePoint.multiply(nobleScalar), { durationMs: 1000 }))

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model}, Node ${process.version}`)
printTable('crypto (single thread)', rows)
if (!verifyUnblinded(native, k, secret, C)) throw new Error('benchmark fixture does not verify')
