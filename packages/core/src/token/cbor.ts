/**
 * CBOR (RFC 8949) for NUT-00 V4 tokens and NUT-18 payment requests, on `cborg`: a strict decoder
 * with no dependencies that refuses tags, trailing bytes, indefinite-length strings and (as asked
 * here) undefined and repeated map keys. `cbor-x` was measured and not taken: it writes every bigint
 * in 8 bytes (so not the NUT-00 vectors' bytes), reads a float where an integer belongs as a plain
 * number with no way to refuse it, and its optional native addon needs an install script.
 *
 * What this file adds to cborg, in its tokenizer: every integer is a bigint (u64 amounts stay exact
 * and a float can never pass for one), floats are refused, text must be valid UTF-8, and nesting
 * stops at 16 levels before the decoder's recursion gets deep. The encoder keeps map keys in the
 * order given (cborg sorts them by default), since the NUT-00 vectors list `t, d, m, u`.
 */
import { decode, encode, Token, Tokenizer, Type } from 'cborg'

export type CborValue = bigint | Uint8Array | string | boolean | null | CborValue[] | CborMap
export interface CborMap {
  [key: string]: CborValue
}

const MAX_DEPTH = 16
const strictText = new TextDecoder('utf-8', { fatal: true })
const DECODE_OPTIONS = {
  allowBigInt: true,
  allowUndefined: false,
  rejectDuplicateMapKeys: true,
}

/** Bytes taken by an item's head: the initial byte and the argument that follows it. */
const headLength = (initial: number) => ((initial & 31) < 24 ? 1 : 1 + 2 ** ((initial & 31) - 24))

class StrictTokenizer extends Tokenizer {
  /** Items still expected by each open array or map (Infinity when indefinite). */
  readonly #open: number[] = []

  override next(): Token {
    const start = this.pos()
    const token = super.next()
    const { type } = token
    if (Type.equals(type, Type.break)) {
      this.#open.pop()
      this.#closeFilled()
      return token
    }
    if (Type.equals(type, Type.float)) throw new Error('CBOR: floats are not supported')
    const top = this.#open.length - 1
    if (top >= 0) this.#open[top] = (this.#open[top] as number) - 1
    if (Type.equals(type, Type.array) || Type.equals(type, Type.map)) {
      if (this.#open.length === MAX_DEPTH) throw new Error('CBOR: nesting too deep')
      this.#open.push(Type.equals(type, Type.map) ? token.value * 2 : token.value)
    }
    this.#closeFilled()
    if (Type.equals(type, Type.uint) || Type.equals(type, Type.negint)) {
      // A new token: cborg shares one token object per small integer across all decodes.
      return new Token(type, BigInt(token.value), token.encodedLength)
    }
    // cborg replaces invalid UTF-8 with U+FFFD; only then are the bytes read again, strictly.
    if (Type.equals(type, Type.string) && (token.value as string).includes('\uFFFD')) {
      const head = headLength(this.data[start] as number)
      strictText.decode(this.data.subarray(start + head, start + (token.encodedLength as number)))
    }
    return token
  }

  #closeFilled(): void {
    while (this.#open.length > 0 && this.#open[this.#open.length - 1] === 0) this.#open.pop()
  }
}

export function decodeCbor(bytes: Uint8Array): CborValue {
  // A plain Uint8Array view: from a Buffer, cborg's byte strings would be Buffers sharing its memory.
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return decode(data, { ...DECODE_OPTIONS, tokenizer: new StrictTokenizer(data, DECODE_OPTIONS) })
}

/** Insertion order: `Array.prototype.sort` is stable, so a sorter that never reorders keeps it. */
const keepOrder = () => 0

export function encodeCbor(value: CborValue): Uint8Array {
  // A plain copy: cborg may hand out a view (sometimes a Buffer) of a chunk that holds earlier output.
  return new Uint8Array(encode(value, { mapSorter: keepOrder }))
}
