import type { CurveBackend } from './curve-backend.ts'
import { loadNativeBackend } from './native-backend.ts'
import { nobleBackend } from './noble-backend.ts'

export type CurveBackendName = CurveBackend['name']

let cached: CurveBackend | undefined

/**
 * The backend the mint signs with: native libsecp256k1 where the addon loaded, else pure JS.
 * `prefer: 'noble'` forces pure JS; `prefer: 'native'` throws if the addon is unavailable.
 */
export function selectCurveBackend(prefer?: CurveBackendName): CurveBackend {
  if (prefer === 'noble') return nobleBackend
  const native = loadNativeBackend()
  if (prefer === 'native' && native instanceof Error) {
    throw new Error(`native secp256k1 backend unavailable: ${native.message}`)
  }
  return native instanceof Error ? nobleBackend : native
}

/** The default backend, chosen once per process. */
export function defaultCurveBackend(): CurveBackend {
  cached ??= selectCurveBackend()
  return cached
}
