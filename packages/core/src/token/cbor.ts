/**
 * The subset of CBOR (RFC 8949) that NUT-00 V4 tokens use: unsigned and negative integers (as
 * bigint, so u64 amounts survive), byte and text strings, arrays, maps with text keys, and the
 * simple values false/true/null. The encoder writes canonical definite lengths; the decoder also
 * reads indefinite-length items, since other wallets' encoders may emit them, and rejects floats,
 * tags and trailing bytes.
 */
export type CborValue = bigint | Uint8Array | string | boolean | null | CborValue[] | CborMap
export interface CborMap {
  [key: string]: CborValue
}

const textEncoder = new TextEncoder()
const textDecoder = new TextDecoder('utf-8', { fatal: true })
const MAX_DEPTH = 16

export function encodeCbor(value: CborValue): Uint8Array {
  const chunks: number[] = []
  writeValue(chunks, value)
  return Uint8Array.from(chunks)
}

function writeHead(out: number[], major: number, argument: bigint): void {
  const type = major << 5
  if (argument < 24n) out.push(type | Number(argument))
  else if (argument < 0x100n) out.push(type | 24, Number(argument))
  else if (argument < 0x10000n) out.push(type | 25, ...bigEndian(argument, 2))
  else if (argument < 0x100000000n) out.push(type | 26, ...bigEndian(argument, 4))
  else if (argument < 0x10000000000000000n) out.push(type | 27, ...bigEndian(argument, 8))
  else throw new RangeError('CBOR integer out of range')
}

function bigEndian(value: bigint, length: number): number[] {
  const bytes = new Array<number>(length)
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(value & 0xffn)
    value >>= 8n
  }
  return bytes
}

function writeValue(out: number[], value: CborValue): void {
  if (typeof value === 'bigint') {
    if (value >= 0n) writeHead(out, 0, value)
    else writeHead(out, 1, -1n - value)
  } else if (typeof value === 'string') {
    const bytes = textEncoder.encode(value)
    writeHead(out, 3, BigInt(bytes.length))
    for (const byte of bytes) out.push(byte)
  } else if (value instanceof Uint8Array) {
    writeHead(out, 2, BigInt(value.length))
    for (const byte of value) out.push(byte)
  } else if (Array.isArray(value)) {
    writeHead(out, 4, BigInt(value.length))
    for (const item of value) writeValue(out, item)
  } else if (value === false || value === true || value === null) {
    out.push(value === null ? 0xf6 : value ? 0xf5 : 0xf4)
  } else {
    const entries = Object.entries(value)
    writeHead(out, 5, BigInt(entries.length))
    for (const [key, item] of entries) {
      writeValue(out, key)
      writeValue(out, item)
    }
  }
}

const BREAK = Symbol('break')

class Reader {
  offset = 0
  readonly bytes: Uint8Array
  constructor(bytes: Uint8Array) {
    this.bytes = bytes
  }

  take(length: number): Uint8Array {
    if (this.offset + length > this.bytes.length) throw new Error('CBOR: unexpected end of input')
    const slice = this.bytes.subarray(this.offset, this.offset + length)
    this.offset += length
    return slice
  }

  argument(info: number): bigint | null {
    if (info < 24) return BigInt(info)
    if (info === 31) return null
    const length = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0
    if (length === 0) throw new Error('CBOR: reserved additional information')
    let value = 0n
    for (const byte of this.take(length)) value = (value << 8n) | BigInt(byte)
    return value
  }
}

export function decodeCbor(bytes: Uint8Array): CborValue {
  const reader = new Reader(bytes)
  const value = readValue(reader, 0)
  if (value === BREAK) throw new Error('CBOR: unexpected break')
  if (reader.offset !== bytes.length) throw new Error('CBOR: trailing bytes')
  return value
}

function readLength(argument: bigint, reader: Reader): number {
  if (argument > BigInt(reader.bytes.length - reader.offset)) throw new Error('CBOR: length exceeds input')
  return Number(argument)
}

function readString(reader: Reader, major: 2 | 3, argument: bigint | null, depth: number): Uint8Array {
  if (argument !== null) return reader.take(readLength(argument, reader))
  const parts: Uint8Array[] = []
  for (;;) {
    const head = reader.take(1)[0] as number
    if (head === 0xff) break
    if (head >> 5 !== major) throw new Error('CBOR: bad chunk in indefinite string')
    parts.push(readString(reader, major, reader.argument(head & 31) ?? 0n, depth))
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

function readValue(reader: Reader, depth: number): CborValue | typeof BREAK {
  if (depth > MAX_DEPTH) throw new Error('CBOR: nesting too deep')
  const head = reader.take(1)[0] as number
  const major = head >> 5
  const info = head & 31
  if (major === 7) {
    if (info === 20) return false
    if (info === 21) return true
    if (info === 22) return null
    if (info === 31) return BREAK
    throw new Error('CBOR: unsupported simple value or float')
  }
  const argument = reader.argument(info)
  switch (major) {
    case 0:
    case 1:
      if (argument === null) throw new Error('CBOR: indefinite integer')
      return major === 0 ? argument : -1n - argument
    case 2:
      return Uint8Array.from(readString(reader, 2, argument, depth))
    case 3:
      return textDecoder.decode(readString(reader, 3, argument, depth))
    case 4: {
      const items: CborValue[] = []
      const count = argument === null ? Number.POSITIVE_INFINITY : readLength(argument, reader)
      for (let i = 0; i < count; i++) {
        const item = readValue(reader, depth + 1)
        if (item === BREAK) {
          if (argument === null) break
          throw new Error('CBOR: unexpected break')
        }
        items.push(item)
      }
      return items
    }
    case 5: {
      const map: CborMap = Object.create(null)
      const count = argument === null ? Number.POSITIVE_INFINITY : readLength(argument, reader)
      for (let i = 0; i < count; i++) {
        const key = readValue(reader, depth + 1)
        if (key === BREAK) {
          if (argument === null) break
          throw new Error('CBOR: unexpected break')
        }
        if (typeof key !== 'string') throw new Error('CBOR: map keys must be text')
        const item = readValue(reader, depth + 1)
        if (item === BREAK) throw new Error('CBOR: map without value')
        map[key] = item
      }
      return map
    }
    default:
      throw new Error('CBOR: tags are not supported')
  }
}
