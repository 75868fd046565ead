/**
 * NUT-11 (P2PK) and NUT-14 (HTLC) locks read from a well-known secret. Both share the same tags:
 * sigflag, pubkeys, n_sigs, locktime, refund, n_sigs_refund, each at most once. The main pathway's
 * keys are `data` plus `pubkeys` for P2PK, only `pubkeys` for HTLC (whose `data` is a hash lock).
 * Keys must be compressed points, unique per pathway by x-coordinate; n_sigs must be a positive
 * integer no larger than its pathway. Anything else makes the proof unspendable.
 */
import { ErrorCode, MintError } from '../protocol/errors.ts'
import { uniqueTag, type WellKnownSecret } from './secret.ts'

export type SigFlag = 'SIG_INPUTS' | 'SIG_ALL'

export interface Lock {
  kind: 'P2PK' | 'HTLC'
  /** HTLC: the SHA-256 hash lock, lowercase hex. */
  hashLock?: string
  sigflag: SigFlag
  /** Main (locktime) pathway keys, lowercase compressed hex. */
  pubkeys: string[]
  nSigs: number
  /** Unix seconds; undefined means the lock is permanent. */
  locktime: bigint | undefined
  /** Refund pathway keys; usable only after locktime. */
  refund: string[]
  nSigsRefund: number
}

const malformed = (why: string) =>
  new MintError(ErrorCode.PROOF_VERIFICATION_FAILED, `malformed secret: ${why}`)
const COMPRESSED_KEY = /^0[23][0-9a-f]{64}$/
const HASH = /^[0-9a-f]{64}$/
const POSITIVE_INTEGER = /^[1-9][0-9]{0,8}$/
const UNIX_TIME = /^(?:0|[1-9][0-9]{0,18})$/

function pathwayKeys(keys: string[], pathway: string): string[] {
  const seen = new Set<string>()
  return keys.map((key) => {
    const lower = key.toLowerCase()
    if (!COMPRESSED_KEY.test(lower)) throw malformed(`${pathway} key ${key} is not a compressed public key`)
    const x = lower.slice(2)
    if (seen.has(x)) throw malformed(`${pathway} key ${key} appears twice`)
    seen.add(x)
    return lower
  })
}

function threshold(values: string[] | undefined, keys: number, name: string): number {
  if (values === undefined) return 1
  const [value] = values
  if (values.length !== 1 || value === undefined || !POSITIVE_INTEGER.test(value)) {
    throw malformed(`${name} must be a positive integer`)
  }
  const n = Number(value)
  if (n > keys) throw malformed(`${name} is ${n} but its pathway has ${keys} keys`)
  return n
}

/** Reads the lock of a P2PK or HTLC secret; throws MintError when malformed or of another kind. */
export function readLock(secret: WellKnownSecret): Lock {
  if (secret.kind !== 'P2PK' && secret.kind !== 'HTLC') {
    throw new MintError(
      ErrorCode.PROOF_VERIFICATION_FAILED,
      `unsupported spending condition "${secret.kind}"`,
    )
  }
  const flag = uniqueTag(secret, 'sigflag')
  if (flag !== undefined && (flag.length !== 1 || (flag[0] !== 'SIG_INPUTS' && flag[0] !== 'SIG_ALL'))) {
    throw malformed('sigflag must be SIG_INPUTS or SIG_ALL')
  }
  const extraKeys = uniqueTag(secret, 'pubkeys') ?? []
  let hashLock: string | undefined
  let mainKeys: string[]
  if (secret.kind === 'P2PK') {
    mainKeys = pathwayKeys([secret.data, ...extraKeys], 'pubkeys')
  } else {
    hashLock = secret.data.toLowerCase()
    if (!HASH.test(hashLock)) throw malformed('HTLC data must be a 32-byte hash in hex')
    mainKeys = pathwayKeys(extraKeys, 'pubkeys')
  }
  const refund = pathwayKeys(uniqueTag(secret, 'refund') ?? [], 'refund')
  const locktimeTag = uniqueTag(secret, 'locktime')
  // NUT-11: a locktime that is not a valid unix time leaves the lock permanent.
  const locktime =
    locktimeTag?.length === 1 && UNIX_TIME.test(locktimeTag[0] as string)
      ? BigInt(locktimeTag[0] as string)
      : undefined
  return {
    kind: secret.kind,
    ...(hashLock === undefined ? {} : { hashLock }),
    sigflag: (flag?.[0] as SigFlag | undefined) ?? 'SIG_INPUTS',
    pubkeys: mainKeys,
    nSigs: threshold(uniqueTag(secret, 'n_sigs'), mainKeys.length, 'n_sigs'),
    locktime,
    refund,
    nSigsRefund: threshold(uniqueTag(secret, 'n_sigs_refund'), refund.length, 'n_sigs_refund'),
  }
}
