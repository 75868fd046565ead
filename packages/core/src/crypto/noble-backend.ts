import { secp256k1 } from '@noble/curves/secp256k1.js'
import { type CurveBackend, isValidScalar } from './curve-backend.ts'

/**
 * Pure-JS backend on @noble/curves. `multiply` is noble's constant-time ladder (with precomputed
 * tables for G); about 50x slower than libsecp256k1, used where the native addon is unavailable.
 */
const { Point } = secp256k1
const Fn = Point.Fn

const toPoint = (bytes: Uint8Array) => {
  if (bytes.length !== 33 && bytes.length !== 65) throw new Error('expected a 33 or 65-byte point')
  return Point.fromBytes(bytes)
}
const toScalar = (bytes: Uint8Array): bigint => {
  if (!isValidScalar(bytes)) throw new Error('scalar must be in [1, n)')
  return Fn.fromBytes(bytes)
}

export const nobleBackend: CurveBackend = {
  name: 'noble',
  multiply: (point, scalar) => toPoint(point).multiply(toScalar(scalar)).toBytes(false),
  multiplyBase: (scalar) => Point.BASE.multiply(toScalar(scalar)).toBytes(false),
  add: (p, q) => toPoint(p).add(toPoint(q)).toBytes(false),
  negate: (point) => toPoint(point).negate().toBytes(false),
  isPoint: (bytes) => {
    if (bytes.length !== 33) return false
    try {
      Point.fromBytes(bytes)
      return true
    } catch {
      return false
    }
  },
  decompress: (point) => toPoint(point).toBytes(false),
  scalarMulAdd: (a, b, c) => Fn.toBytes(Fn.add(toScalar(a), Fn.mul(toScalar(b), toScalar(c)))),
}
