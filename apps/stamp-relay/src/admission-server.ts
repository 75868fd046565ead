/**
 * The gRPC service nostr-rs-relay asks before it stores or relays an event (`[grpc]
 * event_admission_server`, proto/nauthz.proto): it answers PERMIT or DENY with the stamp
 * admission's reason. nostr-rs-relay 0.8.12 speaks plain gRPC only and waits for each answer on
 * its one writer thread, so this listens on loopback, next to the relay, and answers within a
 * deadline of its own. The relay lets every event in while this service is down (its admission
 * fails open), so the relay must start after it and stop with it (src/main.ts).
 */
import { fileURLToPath } from 'node:url'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import type { Admission, StampedEvent } from './stamp-admission.ts'

const PROTO = fileURLToPath(new URL('../proto/nauthz.proto', import.meta.url))

interface EventRequest {
  event: {
    id: Buffer
    kind: string
    tags: { values: string[] }[]
  } | null
}

export interface AdmissionServer {
  /** host:port, as the relay's `event_admission_server` takes it after `http://`. */
  address: string
  close(): Promise<void>
}

export async function serveAdmission(
  admit: (event: StampedEvent) => Promise<Admission>,
  options: { host?: string; port?: number; onDecision?: (event: StampedEvent, admission: Admission) => void },
): Promise<AdmissionServer> {
  const definition = await protoLoader.load(PROTO, {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  })
  const { nauthz } = grpc.loadPackageDefinition(definition) as unknown as {
    nauthz: { Authorization: grpc.ServiceClientConstructor }
  }
  const server = new grpc.Server()
  server.addService(nauthz.Authorization.service, {
    EventAdmit(call: grpc.ServerUnaryCall<EventRequest, unknown>, callback: grpc.sendUnaryData<unknown>) {
      const wire = call.request.event
      if (!wire) return callback(null, { decision: 'DECISION_DENY', message: 'invalid: no event' })
      const event: StampedEvent = {
        id: wire.id.toString('hex'),
        kind: Number(wire.kind),
        tags: wire.tags.map((tag) => tag.values),
      }
      admit(event).then(
        (admission) => {
          options.onDecision?.(event, admission)
          callback(
            null,
            admission.admit
              ? { decision: 'DECISION_PERMIT' }
              : { decision: 'DECISION_DENY', message: admission.reason },
          )
        },
        (error: Error) => callback(null, { decision: 'DECISION_DENY', message: `error: ${error.message}` }),
      )
    },
  })
  const host = options.host ?? '127.0.0.1'
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${host}:${options.port ?? 0}`,
      grpc.ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    ),
  )
  return {
    address: `${host}:${port}`,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  }
}
