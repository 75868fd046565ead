/** Byte helpers shared by the crypto and protocol code. */
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js'

export { bytesToHex, concatBytes, hexToBytes, utf8ToBytes }

const HEX = /^(?:[0-9a-f]{2})*$/i

export function isHex(value: string, byteLength?: number): boolean {
  return HEX.test(value) && (byteLength === undefined || value.length === byteLength * 2)
}

/** Constant-time equality for byte strings of equal length. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}
