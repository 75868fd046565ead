/** Byte helpers shared by the crypto and protocol code. */
import { hash } from 'node:crypto'
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js'

export { bytesToHex, concatBytes, hexToBytes, utf8ToBytes }

/**
 * SHA-256 by OpenSSL, a string hashed as UTF-8: three times faster than JavaScript's on DLEQ's
 * 520-character challenge (1.1 against 3.5 µs), as fast on short inputs.
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
