/**
 * Keyset private keys derived from the mint's seed, the way Nutshell (>= 0.15) and CDK derive them,
 * so an operator can move a mint between implementations and keep every keyset:
 *
 *   master = BIP32 master key from HMAC-SHA512("Bitcoin seed", UTF-8 bytes of the seed string)
 *   key for the i-th amount (2^i) = master / <derivation path> / i'   (hardened)
 *
 * The derivation path names the keyset, conventionally m/0'/<unit index>'/<keyset index>' with the
 * unit indices sat 0, msat 1, usd 2, eur 3 (others: unitDerivationIndex). The master
 * step is done here rather than by HDKey.fromMasterSeed, which refuses seeds outside 16..64 bytes
 * that Nutshell accepts.
 */
import { hmac } from '@noble/hashes/hmac.js'
import { sha256, sha512 } from '@noble/hashes/sha2.js'
import { HDKey } from '@scure/bip32'
import { utf8ToBytes } from '../crypto/bytes.ts'
import { type MintSeed, seedBytes } from './seed.ts'

const HARDENED = 0x80000000
const PATH = /^m(?:\/[0-9]{1,10}'?)*$/

/** The reserved unit indices: Nutshell's for sat, msat, usd and eur, and CDK's auth. */
export const UNIT_DERIVATION_INDEX: Readonly<Record<string, number>> = {
  SAT: 0,
  MSAT: 1,
  USD: 2,
  EUR: 3,
  AUTH: 4,
}

const FIRST_CUSTOM_INDEX = 5
const HARDENED_MAX = 2 ** 31 - 1

/** A unit label as the unit-index draft compares them: ASCII whitespace trimmed, NFC, upper case. */
export const canonicalUnit = (unit: string): string =>
  unit
    .replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
    .normalize('NFC')
    .toUpperCase()

/**
 * The derivation index of a unit (draft NUT "Deterministic Currency Unit Indices", checked against
 * its vectors): the reserved index of sat, msat, usd, eur and auth; for any other unit, 5 + the
 * first 4 bytes of SHA-256(canonical name), big-endian, mod (2^31 - 5). So a custom unit (`credit`,
 * `api`) always derives the same keys from the same seed, here and in other implementations.
 */
export function unitDerivationIndex(unit: string): number {
  const canonical = canonicalUnit(unit)
  const reserved = UNIT_DERIVATION_INDEX[canonical]
  if (reserved !== undefined) return reserved
  const digest = sha256(utf8ToBytes(canonical))
  const value = new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0, false)
  return FIRST_CUSTOM_INDEX + (value % (HARDENED_MAX - FIRST_CUSTOM_INDEX + 1))
}

export function defaultDerivationPath(unitIndex: number, keysetIndex: number): string {
  return `m/0'/${unitIndex}'/${keysetIndex}'`
}

function parsePath(path: string): number[] {
  if (!PATH.test(path)) throw new Error(`invalid derivation path "${path}"`)
  return path
    .split('/')
    .slice(1)
    .map((part) => {
      const hardened = part.endsWith("'")
      const index = Number(hardened ? part.slice(0, -1) : part)
      if (index >= HARDENED) throw new Error(`derivation index ${index} out of range`)
      return hardened ? index + HARDENED : index
    })
}

/** The 32-byte private keys for amounts 2^0 .. 2^(count-1) under `path`. */
export function deriveKeysetPrivateKeys(seed: MintSeed, path: string, count: number): Uint8Array[] {
  if (!Number.isInteger(count) || count < 1 || count > 64) throw new Error('a keyset has 1 to 64 amounts')
  const I = hmac(sha512, utf8ToBytes('Bitcoin seed'), seedBytes(seed))
  let node = new HDKey({ privateKey: I.slice(0, 32), chainCode: I.slice(32) })
  for (const index of parsePath(path)) node = node.deriveChild(index)
  const keys: Uint8Array[] = []
  for (let i = 0; i < count; i++) {
    const child = node.deriveChild(i + HARDENED)
    if (!child.privateKey) throw new Error('derivation produced no private key')
    keys.push(child.privateKey)
  }
  return keys
}
