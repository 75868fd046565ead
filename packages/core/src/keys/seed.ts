/**
 * The secret every keyset derives from. A string is used as its UTF-8 bytes, as Nutshell uses its
 * MINT_PRIVATE_KEY and CDK its `seed`; bytes are used as they are, as CDK uses the 64-byte BIP-39
 * seed of its mnemonic. Either goes into BIP32's master key unchanged.
 */
import { mnemonicToSeedSync, validateMnemonic } from '@scure/bip39'
import { wordlist as english } from '@scure/bip39/wordlists/english.js'
import { utf8ToBytes } from '../crypto/bytes.ts'

export type MintSeed = string | Uint8Array

export function seedBytes(seed: MintSeed): Uint8Array {
  const bytes = typeof seed === 'string' ? utf8ToBytes(seed) : seed
  if (bytes.length === 0) throw new Error('seed must not be empty')
  return bytes
}

/**
 * The 64-byte BIP-39 seed of a mnemonic (English words, checksum checked, no passphrase): what CDK's
 * mint derives its keysets from when its config names a `mnemonic`.
 */
export function mnemonicSeed(words: string): Uint8Array {
  const normalized = words.trim().split(/\s+/).join(' ')
  if (!validateMnemonic(normalized, english))
    throw new Error('not a BIP-39 mnemonic (English words, valid checksum)')
  return mnemonicToSeedSync(normalized)
}
