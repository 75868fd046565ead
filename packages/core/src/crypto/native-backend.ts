import { createRequire } from 'node:module'
import type { CurveBackend } from './curve-backend.ts'

/**
 * Native backend on libsecp256k1 (the `secp256k1` addon, compiled at install). Point multiplication
 * is `secp256k1_ec_pubkey_tweak_mul` (constant-time ecmult_const), scalar arithmetic is the
 * library's constant-time tweak functions. Loads the compiled binding directly: the package's main
 * entry silently falls back to the `elliptic` JS library, which we never want.
 */
interface Secp256k1Binding {
  publicKeyVerify(point: Uint8Array): boolean
  publicKeyCreate(scalar: Uint8Array, compressed: boolean): Uint8Array
  publicKeyConvert(point: Uint8Array, compressed: boolean): Uint8Array
  publicKeyNegate(point: Uint8Array, compressed: boolean): Uint8Array
  publicKeyCombine(points: Uint8Array[], compressed: boolean): Uint8Array
  publicKeyTweakMul(point: Uint8Array, scalar: Uint8Array, compressed: boolean): Uint8Array
  privateKeyTweakMul(scalar: Uint8Array, tweak: Uint8Array): Uint8Array
  privateKeyTweakAdd(scalar: Uint8Array, tweak: Uint8Array): Uint8Array
}

const sec1 = (point: Uint8Array) => {
  if (point.length !== 33 && point.length !== 65) throw new Error('expected a 33 or 65-byte point')
  return point
}

/** Returns the native backend, or the reason it cannot load (addon not built for this platform). */
export function loadNativeBackend(): CurveBackend | Error {
  let lib: Secp256k1Binding
  try {
    lib = createRequire(import.meta.url)('secp256k1/bindings') as Secp256k1Binding
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error))
  }
  return {
    name: 'native',
    multiply: (point, scalar) => lib.publicKeyTweakMul(sec1(point), scalar, false),
    multiplyBase: (scalar) => lib.publicKeyCreate(scalar, false),
    add: (p, q) => lib.publicKeyCombine([sec1(p), sec1(q)], false),
    negate: (point) => lib.publicKeyNegate(sec1(point), false),
    isPoint: (bytes) => bytes.length === 33 && lib.publicKeyVerify(bytes),
    decompress: (point) => lib.publicKeyConvert(sec1(point), false),
    // The tweak functions modify their first argument in place: work on a copy.
    scalarMulAdd: (a, b, c) => lib.privateKeyTweakAdd(lib.privateKeyTweakMul(Uint8Array.from(c), b), a),
  }
}
