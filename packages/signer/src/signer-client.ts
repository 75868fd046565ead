/**
 * A signer in another process (CDK's `signatory` 0.18.3, or `cashu-mint signer`), reached over gRPC
 * with mutual TLS: the mint's certificate and key, and the CA that issued the signer's. It
 * implements the engine's signer port with one call per request (all its outputs or inputs at
 * once; requests of the same turn of the event loop share one, coalesced-calls.ts) and a deadline
 * on each. A signer that does not answer, or answers that it cannot, is
 * UnavailableError('signer'), so wallets get 503 with Retry-After and try again; grpc-js reconnects
 * by itself when the signer is back. The keysets stream (SubscribeKeysets) tells the mint about a
 * rotation made through another client of the same signer.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  type RotationRequest,
  type SignedOutput,
  type Signer,
  type SignerKeyset,
  type SignerKeysets,
  UnavailableError,
} from '@cashu-mint/core/mint'
import type { BlindedMessage, Proof } from '@cashu-mint/core/protocol'
import { ErrorCode, MintError } from '@cashu-mint/core/protocol'
import * as grpc from '@grpc/grpc-js'
import { coalesced } from './coalesced-calls.ts'
import {
  amountsOf,
  type ErrorMessage,
  idBytes,
  type KeySetMessage,
  type KeysResponseMessage,
  loadSignatoryService,
  SCHEMA_HEADER,
  SCHEMA_VERSION,
  SignatoryError,
  signerKeyset,
  unitMessage,
} from './signatory-wire.ts'

/** Outputs or proofs in one call at most, when several requests share it (a message well under gRPC's 4 MB). */
const BATCH_LIMIT = 4000

export interface SignerConnection {
  /** host:port, the host as the signer's certificate names it (an IP address needs an IP SAN). */
  address: string
  /** A folder with ca.pem (the signer's CA), client.pem and client.key (the mint's). */
  tlsDir: string
  /** Each call's deadline (default 5000 ms). */
  timeoutMs?: number
  /** Told once when calls start failing for want of the signer, and once when it answers again. */
  onOutage?: (outage: { down: boolean; detail: string }) => void
}

export interface RemoteSigner extends Signer {
  readonly kind: 'remote'
  close(): Promise<void>
}

type UnaryMethod<Response> = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response: Response) => void,
) => void

async function credentialsFor(tlsDir: string): Promise<grpc.ChannelCredentials> {
  const read = (name: string) => readFile(join(tlsDir, name))
  const [ca, key, cert] = await Promise.all([read('ca.pem'), read('client.key'), read('client.pem')]).catch(
    (error: NodeJS.ErrnoException) => {
      throw new Error(
        `the signer's TLS folder ${tlsDir} must hold ca.pem, client.pem and client.key (${error.code})`,
      )
    },
  )
  return grpc.credentials.createSsl(ca, key, cert)
}

/** Statuses that say nothing about the request: the signer is down, restarting, slow or refusing us. */
const OUTAGES = new Set([
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.CANCELLED,
  grpc.status.RESOURCE_EXHAUSTED,
  grpc.status.UNKNOWN,
  grpc.status.INTERNAL,
  grpc.status.UNAUTHENTICATED,
  grpc.status.PERMISSION_DENIED,
  grpc.status.FAILED_PRECONDITION,
])

/** A refusal the mint's own checks should have prevented (its keysets lag a rotation): the NUT error. */
function refusal(error: ErrorMessage): Error {
  switch (error.code) {
    case SignatoryError.KEYSET_NOT_KNOWN:
      return new MintError(ErrorCode.KEYSET_UNKNOWN, `the signer does not know the keyset: ${error.detail}`)
    case SignatoryError.KEYSET_INACTIVE:
      return new MintError(ErrorCode.KEYSET_INACTIVE, `the signer's keyset is inactive: ${error.detail}`)
    default:
      return new UnavailableError('signer', `the signer refused: ${error.detail || error.code}`)
  }
}

export async function connectSigner(connection: SignerConnection): Promise<RemoteSigner> {
  const Service = await loadSignatoryService()
  const client = new Service(connection.address, await credentialsFor(connection.tlsDir), {
    // A signer that restarted is tried again within a second or two, not after minutes of back-off.
    'grpc.initial_reconnect_backoff_ms': 250,
    'grpc.max_reconnect_backoff_ms': 2000,
    'grpc.keepalive_time_ms': 30_000,
  })
  const timeoutMs = connection.timeoutMs ?? 5000
  const metadata = () => {
    const m = new grpc.Metadata()
    m.set(SCHEMA_HEADER, SCHEMA_VERSION)
    return m
  }
  let down = false
  const call = <Response extends { error: ErrorMessage | null }>(name: string, request: unknown) =>
    new Promise<Response>((resolve, reject) => {
      const invoke = (client as unknown as Record<string, UnaryMethod<Response>>)[
        name
      ] as UnaryMethod<Response>
      invoke.call(client, request, metadata(), { deadline: Date.now() + timeoutMs }, (error, response) => {
        const outage = error !== null && OUTAGES.has(error.code)
        if (outage !== down) {
          down = outage
          connection.onOutage?.({
            down,
            detail: error?.details || (error ? grpc.status[error.code] : 'answering') || '',
          })
        }
        if (error)
          reject(
            outage
              ? new UnavailableError('signer', error.details || grpc.status[error.code] || 'no answer', 2)
              : new Error(`the signer refused the request: ${error.details}`),
          )
        else if (response.error) reject(refusal(response.error))
        else resolve(response)
      })
    })

  const keysetsOf = (response: KeysResponseMessage): SignerKeysets => {
    if (!response.keysets) throw new UnavailableError('signer', 'the signer answered no keysets')
    return {
      publicKey: Buffer.from(response.keysets.pubkey).toString('hex'),
      keysets: response.keysets.keysets.map(signerKeyset),
    }
  }

  /** One BlindSign call for the outputs, their signatures in order. */
  const signAll = async (outputs: readonly BlindedMessage[]): Promise<SignedOutput[]> => {
    const response = await call<{
      error: ErrorMessage | null
      sigs: { blind_signatures: { blinded_secret: Buffer; dleq?: { e: Buffer; s: Buffer } | null }[] } | null
    }>('BlindSign', {
      blinded_messages: outputs.map((output) => ({
        amount: output.amount.toString(),
        keyset_id: idBytes(output.id),
        blinded_secret: Buffer.from(output.B_, 'hex'),
      })),
    })
    const signatures = response.sigs?.blind_signatures ?? []
    if (signatures.length !== outputs.length)
      throw new UnavailableError(
        'signer',
        `the signer signed ${signatures.length} of ${outputs.length} outputs`,
      )
    return signatures.map((signature) => {
      if (!signature.dleq)
        throw new UnavailableError('signer', 'the signer gave a signature without its DLEQ')
      return {
        C_: signature.blinded_secret.toString('hex'),
        dleqE: signature.dleq.e.toString('hex'),
        dleqS: signature.dleq.s.toString('hex'),
      }
    })
  }
  /** One VerifyProofs call: whether the signer signed every proof. */
  const verifyAll = async (proofs: readonly Proof[]): Promise<boolean> => {
    try {
      const response = await call<{ error: ErrorMessage | null; success: boolean }>('VerifyProofs', {
        proof: proofs.map((proof) => ({
          amount: proof.amount.toString(),
          keyset_id: idBytes(proof.id),
          secret: Buffer.from(proof.secret, 'utf8'),
          c: Buffer.from(proof.C, 'hex'),
        })),
      })
      return response.success
    } catch (error) {
      // A proof of an amount or keyset the signer has no key for is a proof it did not sign.
      if (error instanceof MintError && error.code === ErrorCode.KEYSET_UNKNOWN) return false
      throw error
    }
  }
  const signBatched = coalesced<readonly BlindedMessage[], SignedOutput[]>({
    one: signAll,
    async many(requests) {
      try {
        const signed = await signAll(requests.flat())
        let at = 0
        return requests.map((outputs) => {
          const own = signed.slice(at, at + outputs.length)
          at += outputs.length
          return own
        })
      } catch (error) {
        // A refusal names no request: each is asked alone, so only its own is refused.
        if (error instanceof MintError) return undefined
        throw error
      }
    },
    weight: (outputs) => outputs.length,
    limit: BATCH_LIMIT,
  })
  const verifyBatched = coalesced<readonly Proof[], boolean>({
    one: verifyAll,
    // All signed, or each asked alone to find which was not.
    many: async (requests) => ((await verifyAll(requests.flat())) ? requests.map(() => true) : undefined),
    weight: (proofs) => proofs.length,
    limit: BATCH_LIMIT,
  })

  // Answers the mint's first question now, so a signer that is missing or refuses our certificate
  // stops the start with a clear message instead of failing the first wallet.
  await call<KeysResponseMessage>('Keysets', {})

  const streams = new Set<grpc.ClientReadableStream<KeysResponseMessage>>()
  let closed = false
  return {
    kind: 'remote',
    async keysets() {
      return keysetsOf(await call<KeysResponseMessage>('Keysets', {}))
    },
    blindSign: (outputs: readonly BlindedMessage[]) => signBatched(outputs),
    verifyProofs: (proofs: readonly Proof[]) => verifyBatched(proofs),
    async rotate(request: RotationRequest): Promise<SignerKeyset> {
      const response = await call<{ error: ErrorMessage | null; keyset: KeySetMessage | null }>(
        'RotateKeyset',
        {
          unit: unitMessage(request.unit),
          input_fee_ppk: request.inputFeePpk.toString(),
          amounts: amountsOf(request.amountCount),
          ...(request.finalExpiry === undefined ? {} : { final_expiry: request.finalExpiry.toString() }),
          keyset_id_type: 'KEYSET_VERSION_V2',
        },
      )
      if (!response.keyset)
        throw new UnavailableError('signer', 'the signer answered a rotation without its keyset')
      return signerKeyset(response.keyset)
    },
    watch(listener: () => void) {
      let stream: grpc.ClientReadableStream<KeysResponseMessage> | undefined
      let retry: NodeJS.Timeout | undefined
      let delayMs = 1000
      const open = () => {
        if (closed) return
        const opened = (
          client as unknown as {
            SubscribeKeysets: (r: unknown, m: grpc.Metadata) => grpc.ClientReadableStream<KeysResponseMessage>
          }
        ).SubscribeKeysets({}, metadata())
        stream = opened
        streams.add(opened)
        opened.on('data', () => {
          delayMs = 1000
          listener()
        })
        // Ended or broken (the signer restarted): subscribe again, backing off up to 30 s.
        const again = () => {
          streams.delete(opened)
          if (closed || stream !== opened) return
          stream = undefined
          retry = setTimeout(open, delayMs)
          delayMs = Math.min(delayMs * 2, 30_000)
        }
        opened.on('error', again)
        opened.on('end', again)
      }
      open()
      return () => {
        clearTimeout(retry)
        const current = stream
        stream = undefined
        if (current) {
          streams.delete(current)
          current.cancel()
        }
      }
    },
    async close() {
      closed = true
      for (const stream of streams) stream.cancel()
      streams.clear()
      client.close()
    },
  }
}
