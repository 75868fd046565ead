/**
 * The secp256k1 operations that blind signatures need (NUT-00, NUT-12), behind one small interface so
 * the mint runs on native libsecp256k1 where it builds and on pure JS everywhere else.
 *
 * Inputs are SEC1 points, compressed (33 bytes) or uncompressed (65); outputs are uncompressed,
 * because NUT-12 hashes uncompressed points and compressing is a byte copy while decompressing is
 * a square root. Scalars are 32-byte big-endian. Every operation that may take a secret scalar (the
 * mint's keys, DLEQ nonces) is constant time in both backends. Invalid input (a non-point, a zero or
 * out-of-range scalar) throws, so callers validate at their edge.
 */
export interface CurveBackend {
  readonly name: 'native' | 'noble'
  /** k*P, constant time in k. */
  multiply(point: Uint8Array, scalar: Uint8Array): Uint8Array
  /** k*G, constant time in k. */
  multiplyBase(scalar: Uint8Array): Uint8Array
  /** P+Q; throws if the sum is the point at infinity. */
  add(p: Uint8Array, q: Uint8Array): Uint8Array
  negate(point: Uint8Array): Uint8Array
  /** Whether the bytes are a valid compressed point on the curve. */
  isPoint(bytes: Uint8Array): boolean
  /** The uncompressed encoding of a point. */
  decompress(point: Uint8Array): Uint8Array
  /** (a + b*c) mod n, constant time; throws if the result is zero. */
  scalarMulAdd(a: Uint8Array, b: Uint8Array, c: Uint8Array): Uint8Array
}

/** The secp256k1 group order n. */
export const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

const ORDER_BYTES = Uint8Array.from(CURVE_ORDER.toString(16).match(/../g) ?? [], (pair) =>
  Number.parseInt(pair, 16),
)

/** 0 < bytes < n, read big-endian; compared byte by byte, as a bigint allocates per byte. */
export function isValidScalar(bytes: Uint8Array): boolean {
  if (bytes.length !== 32) return false
  let nonZero = false
  let below: boolean | undefined
  for (let i = 0; i < 32; i++) {
    const byte = bytes[i] as number
    const order = ORDER_BYTES[i] as number
    nonZero ||= byte !== 0
    if (below === undefined && byte !== order) below = byte < order
  }
  return nonZero && below === true
}

/** The 33-byte compressed form of an uncompressed point: 02/03 by the parity of y, then x. */
export function compressPoint(point: Uint8Array): Uint8Array {
  if (point.length === 33) return point
  if (point.length !== 65 || point[0] !== 0x04) throw new Error('expected a 65-byte uncompressed point')
  const out = new Uint8Array(33)
  out[0] = 0x02 | ((point[64] as number) & 1)
  out.set(point.subarray(1, 33), 1)
  return out
}
