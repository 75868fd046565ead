/** The part of the macaroon package (no bundled types) the LND double uses. */
declare module 'macaroon' {
  interface Macaroon {
    readonly identifier: Uint8Array
    exportBinary(): Uint8Array
    /** Throws unless the signature chains back to the root key and `check` accepts every caveat. */
    verify(rootKey: Uint8Array, check: (caveat: string) => string | null): void
  }
  export function newMacaroon(options: {
    version?: 1 | 2
    rootKey: Uint8Array
    identifier: string | Uint8Array
    location?: string
  }): Macaroon
  export function importMacaroon(serialized: Uint8Array | string): Macaroon
}
