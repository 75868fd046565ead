/**
 * `@cashu-mint/core/keys`: keyset derivation (Nutshell-compatible) and NUT-02 keyset ids.
 * @module @cashu-mint/core/keys
 */
export {
  canonicalUnit,
  defaultDerivationPath,
  deriveKeysetPrivateKeys,
  UNIT_DERIVATION_INDEX,
  unitDerivationIndex,
} from './derivation.ts'
export { deriveKeyset, type KeyPair, type KeysetOptions, type MintKeyset, publicKeysOf } from './keyset.ts'
export {
  deriveKeysetId,
  type KeysetIdInput,
  type KeysetIdVersion,
  keysetIdV1,
  keysetIdV2,
  type PublicKeysByAmount,
} from './keyset-id.ts'
export { mintPublicKey } from './mint-public-key.ts'
export { type MintSeed, mnemonicSeed, seedBytes } from './seed.ts'
