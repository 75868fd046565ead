/** Byte helpers shared by the crypto and protocol code. */
import { hash } from 'node:crypto'
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js'

export { concatBytes, utf8ToBytes }

/**
 * Lowercase hex by Node's native encoder: one string per call, where a per-byte loop leaves a
 * string fragment per byte for the GC (measured in docs/benchmarks.md).
 */
export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/

/** The bytes of an even-length hex string of either case; anything else throws. */
export function hexToBytes(hex: string): Uint8Array {
  if (typeof hex !== 'string' || !HEX.test(hex)) throw new Error('expected an even-length hex string')
  const buffer = Buffer.from(hex, 'hex')
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

/**
 * SHA-256 by OpenSSL, a string hashed as UTF-8: faster than JavaScript's on DLEQ's long challenge,
 * as fast on short inputs (docs/benchmarks.md, crypto).
 */
export function sha256(data: Uint8Array | string): Uint8Array {
  const digest = hash('sha256', data, 'buffer')
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.length)
}

/** `length` bytes from the platform CSPRNG, as hex. */
export function randomHex(length: number): string {
  const bytes = new Uint8Array(length)
  globalThis.crypto.getRandomValues(bytes)
  return bytesToHex(bytes)
}

/** Constant-time equality for byte strings of equal length. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}
