import { createRequire } from 'node:module'
import type { CurveBackend } from './curve-backend.ts'

/**
 * Native backend on libsecp256k1 (the `secp256k1` addon, compiled at install). Loads the compiled
 * binding directly: the package's main entry silently falls back to the `elliptic` JS library,
 * which we never want.
 *
 * k*P is `secp256k1_ecdh` (ecmult_const, constant time) with a hash function that hands back the
 * point itself. `secp256k1_ec_pubkey_tweak_mul` is the faster call, but it is variable time in the
 * scalar (ecmult): its running time would show the bit lengths of each DLEQ nonce, which with the
 * public s = r + e*k is how a timing attacker recovers k, and its table lookups depend on the key.
 * k*G is ecmult_gen and scalar arithmetic the tweak functions, all constant time.
 */
interface Secp256k1Binding {
  publicKeyVerify(point: Uint8Array): boolean
  publicKeyCreate(scalar: Uint8Array, compressed: boolean): Uint8Array
  publicKeyConvert(point: Uint8Array, compressed: boolean): Uint8Array
  publicKeyNegate(point: Uint8Array, compressed: boolean): Uint8Array
  publicKeyCombine(points: Uint8Array[], compressed: boolean): Uint8Array
  ecdh(point: Uint8Array, scalar: Uint8Array, options: EcdhOptions, output: Uint8Array): Uint8Array
  privateKeyTweakMul(scalar: Uint8Array, tweak: Uint8Array): Uint8Array
  privateKeyTweakAdd(scalar: Uint8Array, tweak: Uint8Array): Uint8Array
}

interface EcdhOptions {
  hashfn(x: Uint8Array, y: Uint8Array): Uint8Array
  xbuf: Uint8Array
  ybuf: Uint8Array
}

/** ECDH's "hash" that returns the shared point uncompressed; the addon copies it out at once. */
function ecdhReturningPoint(): EcdhOptions {
  const point = new Uint8Array(65)
  point[0] = 0x04
  return {
    hashfn: (x, y) => {
      point.set(x, 1)
      point.set(y, 33)
      return point
    },
    xbuf: new Uint8Array(32),
    ybuf: new Uint8Array(32),
  }
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
  const pointOut = ecdhReturningPoint()
  return {
    name: 'native',
    multiply: (point, scalar) => lib.ecdh(sec1(point), scalar, pointOut, new Uint8Array(65)),
    multiplyBase: (scalar) => lib.publicKeyCreate(scalar, false),
    add: (p, q) => lib.publicKeyCombine([sec1(p), sec1(q)], false),
    negate: (point) => lib.publicKeyNegate(sec1(point), false),
    isPoint: (bytes) => bytes.length === 33 && lib.publicKeyVerify(bytes),
    decompress: (point) => lib.publicKeyConvert(sec1(point), false),
    // The tweak functions modify their first argument in place: work on a copy.
    scalarMulAdd: (a, b, c) => lib.privateKeyTweakAdd(lib.privateKeyTweakMul(Uint8Array.from(c), b), a),
  }
}
