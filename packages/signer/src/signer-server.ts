/**
 * Serves a signer (the engine's in-process one, over its own keyset store and seed) on CDK's
 * signatory protocol, so a mint in another process signs through it: this mint's service, or
 * cdk-mintd 0.18.3 configured with `[signatory]`. gRPC with mutual TLS only: a client must show a
 * certificate from the CA in the TLS folder. What it refuses, it refuses with the codes CDK's
 * client knows (0, 1, 2, 4, 5): an unknown keyset or amount is 4, an inactive keyset 5, an expired
 * one 0; a signature that does not verify is `success: false`. It tells every subscriber its
 * keysets on subscribe and after each rotation, and logs per keyset how many outputs it signed and
 * for how much, never a key or a secret.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Signer, SignerKeyset, SignerKeysets } from '@cashu-mint/core/mint'
import type { BlindedMessage } from '@cashu-mint/core/protocol'
import * as grpc from '@grpc/grpc-js'
import {
  type CurrencyUnitMessage,
  type ErrorMessage,
  idBytes,
  idHex,
  type KeysResponseMessage,
  keysetMessage,
  loadSignatoryService,
  SCHEMA_HEADER,
  SCHEMA_VERSION,
  SignatoryError,
  unitName,
} from './signatory-wire.ts'

export interface SignerServerOptions {
  host: string
  /** 0 picks a free port. */
  port: number
  /** A folder with server.pem, server.key and ca.pem (the CA whose client certificates it accepts). */
  tlsDir: string
  /** Where the counts and rotations go (pino's signature); nothing secret is ever passed. */
  log?: (fields: Record<string, unknown>, message: string) => void
  /** How often the counts are logged when they changed (default 60 s). */
  countsEveryMs?: number
  /** The clock for keyset expiry, in seconds (default the system's). */
  now?: () => bigint
}

export interface SignerServer {
  port: number
  close(): Promise<void>
}

/** What a signer did with one keyset since it started. */
interface KeysetCounts {
  outputs: number
  amount: bigint
  proofs: number
}

class Refused extends Error {
  readonly code: string
  constructor(code: string, detail: string) {
    super(detail)
    this.code = code
  }
}

const errorOf = (error: unknown): ErrorMessage =>
  error instanceof Refused
    ? { code: error.code, detail: error.message }
    : { code: SignatoryError.UNSPECIFIED, detail: error instanceof Error ? error.message : String(error) }

export async function serveSigner(signer: Signer, options: SignerServerOptions): Promise<SignerServer> {
  const read = (name: string) => readFile(join(options.tlsDir, name))
  const [ca, cert, key] = await Promise.all([read('ca.pem'), read('server.pem'), read('server.key')]).catch(
    (error: NodeJS.ErrnoException) => {
      throw new Error(
        `the TLS folder ${options.tlsDir} must hold ca.pem, server.pem and server.key (${error.code})`,
      )
    },
  )
  const Service = await loadSignatoryService()
  const log = options.log ?? (() => undefined)
  const now = options.now ?? (() => BigInt(Math.floor(Date.now() / 1000)))

  let snapshot: SignerKeysets = await signer.keysets()
  let byId = new Map(snapshot.keysets.map((k) => [k.id, k]))
  const refresh = async () => {
    snapshot = await signer.keysets()
    byId = new Map(snapshot.keysets.map((k) => [k.id, k]))
  }
  const keysResponse = (): KeysResponseMessage => ({
    error: null,
    keysets: { pubkey: Buffer.from(snapshot.publicKey, 'hex'), keysets: snapshot.keysets.map(keysetMessage) },
  })

  const counts = new Map<string, KeysetCounts>()
  let changed = false
  const countOf = (id: string) => {
    const found = counts.get(id) ?? { outputs: 0, amount: 0n, proofs: 0 }
    counts.set(id, found)
    changed = true
    return found
  }
  const logCounts = () => {
    if (!changed) return
    changed = false
    for (const [keysetId, c] of counts)
      log(
        { keysetId, outputs: c.outputs, amount: c.amount.toString(), proofs: c.proofs },
        'signed and verified',
      )
  }
  const timer = setInterval(logCounts, options.countsEveryMs ?? 60_000)
  timer.unref()

  /** The keyset that signs an amount: 4 when the keyset or the amount is not known. */
  const keysetFor = (id: string, amount: bigint): SignerKeyset => {
    const keyset = byId.get(id)
    if (!keyset?.keys.has(amount))
      throw new Refused(SignatoryError.KEYSET_NOT_KNOWN, `Unknown Keyset ${id} or amount ${amount}`)
    return keyset
  }

  const subscribers = new Set<grpc.ServerWritableStream<unknown, KeysResponseMessage>>()
  const announce = () => {
    const message = keysResponse()
    for (const stream of subscribers) stream.write(message)
  }

  /** Every call must carry the schema version CDK's clients send, as CDK's signatory requires. */
  const versionError = (metadata: grpc.Metadata): grpc.StatusObject | undefined => {
    const version = metadata.get(SCHEMA_HEADER)[0]
    if (version === SCHEMA_VERSION) return undefined
    return {
      code: grpc.status.FAILED_PRECONDITION,
      details:
        version === undefined
          ? `Missing ${SCHEMA_HEADER} header`
          : `Protocol version mismatch: server=${SCHEMA_VERSION}, client=${version}`,
      metadata: new grpc.Metadata(),
    }
  }
  /** A unary handler: the version checked, a refusal as the response's `error`, a broken request as INVALID_ARGUMENT. */
  const unary =
    <Request>(
      answer: (request: Request) => Promise<object>,
      refused: (error: ErrorMessage) => object,
    ): grpc.handleUnaryCall<Request, object> =>
    (call, callback) => {
      const wrong = versionError(call.metadata)
      if (wrong) return callback(wrong)
      answer(call.request).then(
        (response) => callback(null, response),
        (error: unknown) => {
          if (error instanceof TypeError || error instanceof RangeError)
            callback({ code: grpc.status.INVALID_ARGUMENT, details: error.message })
          else callback(null, refused(errorOf(error)))
        },
      )
    }

  interface WireBlinded {
    amount: string
    keyset_id: Buffer
    blinded_secret: Buffer
  }
  interface WireProof {
    amount: string
    keyset_id: Buffer
    secret: Buffer
    c: Buffer
  }

  const handlers = {
    BlindSign: unary(
      async (request: { blinded_messages: WireBlinded[] }) => {
        const outputs: BlindedMessage[] = request.blinded_messages.map((m) => {
          const output = {
            amount: BigInt(m.amount),
            id: idHex(m.keyset_id),
            B_: m.blinded_secret.toString('hex'),
          }
          const keyset = keysetFor(output.id, output.amount)
          if (!keyset.active)
            throw new Refused(SignatoryError.KEYSET_INACTIVE, `Inactive Keyset ${output.id}`)
          if (keyset.finalExpiry !== null && keyset.finalExpiry <= now())
            throw new Refused(SignatoryError.UNSPECIFIED, 'Keyset has expired')
          return output
        })
        const signed = await signer.blindSign(outputs)
        for (const output of outputs) {
          const count = countOf(output.id)
          count.outputs++
          count.amount += output.amount
        }
        return {
          error: null,
          sigs: {
            blind_signatures: signed.map((s, i) => ({
              amount: (outputs[i] as BlindedMessage).amount.toString(),
              keyset_id: idBytes((outputs[i] as BlindedMessage).id),
              blinded_secret: Buffer.from(s.C_, 'hex'),
              dleq: { e: Buffer.from(s.dleqE, 'hex'), s: Buffer.from(s.dleqS, 'hex') },
            })),
          },
        }
      },
      (error) => ({ error, sigs: null }),
    ),
    VerifyProofs: unary(
      async (request: { proof: WireProof[] }) => {
        const proofs = request.proof.map((p) => {
          const proof = {
            amount: BigInt(p.amount),
            id: idHex(p.keyset_id),
            secret: p.secret.toString('utf8'),
            C: p.c.toString('hex'),
          }
          keysetFor(proof.id, proof.amount)
          return proof
        })
        const success = await signer.verifyProofs(proofs)
        if (success) for (const proof of proofs) countOf(proof.id).proofs++
        return { error: null, success }
      },
      (error) => ({ error, success: false }),
    ),
    Keysets: unary(
      async () => keysResponse(),
      (error) => ({ error, keysets: null }),
    ),
    RotateKeyset: unary(
      async (request: {
        unit: CurrencyUnitMessage | null
        input_fee_ppk: string
        amounts: string[]
        final_expiry?: string
        keyset_id_type: string
      }) => {
        const unit = unitName(request.unit)
        if (!unit) throw new Refused(SignatoryError.UNSPECIFIED, 'Currency unit not set')
        if (request.keyset_id_type !== 'KEYSET_VERSION_V2')
          throw new Refused(SignatoryError.UNSPECIFIED, 'this signer makes v2 (01) keysets only')
        const amountCount =
          request.amounts.length > 0
            ? request.amounts.length
            : (snapshot.keysets.find((k) => k.unit === unit && k.active)?.keys.size ?? 0)
        if (amountCount === 0) throw new Refused(SignatoryError.UNSPECIFIED, 'Amounts cannot be empty')
        if (amountCount > 64 || request.amounts.some((a, i) => BigInt(a) !== 1n << BigInt(i)))
          throw new Refused(
            SignatoryError.UNSPECIFIED,
            'amounts must be 1, 2, 4, … (powers of two from 1, at most 64)',
          )
        const keyset = await signer.rotate({
          unit,
          inputFeePpk: BigInt(request.input_fee_ppk),
          amountCount,
          ...(request.final_expiry === undefined ? {} : { finalExpiry: BigInt(request.final_expiry) }),
        })
        await refresh()
        log(
          { keysetId: keyset.id, unit, inputFeePpk: request.input_fee_ppk, amounts: amountCount },
          'rotated',
        )
        announce()
        return { error: null, keyset: keysetMessage(keyset) }
      },
      (error) => ({ error, keyset: null }),
    ),
    SubscribeKeysets(call: grpc.ServerWritableStream<unknown, KeysResponseMessage>) {
      const wrong = versionError(call.metadata)
      if (wrong) return call.destroy(Object.assign(new Error(wrong.details), wrong))
      subscribers.add(call)
      const leave = () => subscribers.delete(call)
      call.on('cancelled', leave)
      call.on('close', leave)
      call.on('error', leave)
      call.write(keysResponse())
    },
  }

  const server = new grpc.Server()
  server.addService(Service.service, handlers as unknown as grpc.UntypedServiceImplementation)
  const credentials = grpc.ServerCredentials.createSsl(ca, [{ private_key: key, cert_chain: cert }], true)
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${options.host}:${options.port}`, credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  )
  log({ host: options.host, port, keysets: snapshot.keysets.length }, 'signer listening')
  return {
    port,
    async close() {
      clearInterval(timer)
      logCounts()
      for (const stream of subscribers) stream.end()
      subscribers.clear()
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()))
    },
  }
}
