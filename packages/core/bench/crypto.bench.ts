/**
 * Crypto benchmark (issue: foundation): sign + DLEQ per output and verify per input, on the
 * native libsecp256k1 backend and the pure-JS noble backend, next to the bare multiplications the
 * same work needs (the floor: three point multiplications to sign with a DLEQ, one to verify).
 * Then the timing of k*P by the scalar's length, constant-time multiply against libsecp256k1's
 * variable-time tweak_mul: the reason the backend multiplies through ECDH.
 * Run: `pnpm bench` (BENCH_MS sets the measured time per row, default 2000).
 */
import { createHash, randomBytes } from 'node:crypto'
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
  publicKeyVerify(point: Uint8Array): boolean
}

const durationMs = Number(process.env.BENCH_MS ?? 2000)
const raw = createRequire(import.meta.url)('secp256k1/bindings') as RawSecp256k1
const native = selectCurveBackend('native')

const k = Uint8Array.from(randomBytes(32))
const r = Uint8Array.from(randomBytes(32))
// hash_to_curve takes a varying number of tries per secret: rotate through many so every row
// averages over the same mix.
const secrets = Array.from({ length: 256 }, () => randomBytes(32).toString('hex'))
const secret = secrets[0] as string
let turn = 0
const nextSecret = () => secrets[turn++ & 255] as string

function fixtures(curve: CurveBackend) {
  const K = curve.multiplyBase(k)
  const B_ = blindMessage(curve, secret, Uint8Array.from(randomBytes(32)))
  const { C_ } = signBlindedMessage(curve, k, K, B_)
  const C = compressPoint(curve.multiply(hashSecretToCurve(curve, secret), k))
  return { K, B_, C_, C }
}

const rows: (BenchResult & { note?: string })[] = []
const { K, B_, C } = fixtures(native)

const floorSign = bench(
  'floor: 3 multiplications (sign+DLEQ)',
  () => {
    native.multiply(B_, k)
    raw.publicKeyCreate(r, false)
    native.multiply(B_, r)
  },
  { durationMs },
)
// The least work a verify needs with the library alone: hash_to_curve with node's SHA-256 and
// libsecp256k1's point check, then one multiplication.
const domain = Buffer.from('Secp256k1_HashToCurve_Cashu_')
function rawHashToCurve(message: string): Uint8Array {
  const messageHash = createHash('sha256').update(domain).update(message).digest()
  const candidate = Buffer.alloc(33, 2)
  const counter = Buffer.alloc(4)
  for (let i = 0; ; i++) {
    counter.writeUInt32LE(i)
    createHash('sha256').update(messageHash).update(counter).digest().copy(candidate, 1)
    if (raw.publicKeyVerify(candidate)) return candidate
  }
}
// Both verify rows rotate through the same secrets, so they average over the same mix of tries.
const floorVerify = bench(
  'floor: hash_to_curve + 1 multiplication',
  () => native.multiply(rawHashToCurve(nextSecret()), k),
  { durationMs },
)
rows.push(floorSign, floorVerify)

for (const curve of [native, nobleBackend]) {
  const f = fixtures(curve)
  const ms = curve.name === 'noble' ? Math.min(durationMs, 1000) : durationMs
  const sign = bench(`${curve.name}: sign + DLEQ per output`, () => signBlindedMessage(curve, k, f.K, f.B_), {
    durationMs: ms,
  })
  const verify = bench(
    `${curve.name}: verify per input (hash_to_curve + k*Y)`,
    () => verifyUnblinded(curve, k, nextSecret(), f.C),
    { durationMs: ms },
  )
  rows.push(
    { ...sign, note: `${(sign.mean / floorSign.mean).toFixed(2)}x floor` },
    { ...verify, note: `${(verify.mean / floorVerify.mean).toFixed(2)}x floor` },
  )
}

const noblePoint = secp256k1.Point.fromBytes(compressPoint(K))
const nobleScalar = BigInt(`0x${Buffer.from(k).toString('hex')}`)
rows.push(bench('raw noble: 1 multiplication', () => noblePoint.multiply(nobleScalar), { durationMs: 1000 }))

// A scalar below 2^128 (both halves of its endomorphism split short) against a full-length one.
const shortScalar = Uint8Array.from(randomBytes(32)).fill(0, 0, 16)
for (const [name, scalar] of [
  ['full-length', k],
  ['below 2^128', shortScalar],
] as const) {
  rows.push(
    bench(`timing: native multiply (ecmult_const), ${name} scalar`, () => native.multiply(B_, scalar), {
      durationMs,
    }),
    bench(
      `timing: tweak_mul (ecmult, variable time), ${name} scalar`,
      () => raw.publicKeyTweakMul(B_, scalar, false),
      {
        durationMs,
      },
    ),
  )
}

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model}, Node ${process.version}`)
printTable('crypto (single thread)', rows)
if (!verifyUnblinded(native, k, secret, C)) throw new Error('benchmark fixture does not verify')
