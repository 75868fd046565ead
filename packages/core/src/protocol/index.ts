/**
 * `@cashu-mint/core/protocol`: amounts, fees, errors, lossless JSON and the NUT wire schemas.
 * @module @cashu-mint/core/protocol
 */
export { isPowerOfTwo, isU64, splitAmount, sumAmounts, U64_MAX } from './amount.ts'
export { ErrorCode, MintError } from './errors.ts'
export { inputFee } from './fees.ts'
export { type JsonShape, jsonShape, parseJson, stringifyJson } from './json.ts'
export * from './schemas/nut00.ts'
export * from './schemas/nut01-02.ts'
export * from './schemas/nut03.ts'
export * from './schemas/nut04-mint.ts'
export * from './schemas/nut05-melt.ts'
export * from './schemas/nut06-info.ts'
export * from './schemas/nut07-09.ts'
export * from './schemas/nut17-websocket.ts'
export * from './schemas/nut21-22.ts'
export {
  keysetId,
  MAX_ARRAY_LENGTH,
  MAX_SECRET_LENGTH,
  optionalField,
  quoteId,
} from './schemas/primitives.ts'
export { MAX_JSON_DEPTH, parseJsonBody, parseJsonRequest, parseRequest } from './validate.ts'
