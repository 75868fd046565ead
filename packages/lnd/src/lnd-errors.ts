/**
 * The lightning package reports failures as `[code, name, { err }]` arrays, `err` being the gRPC
 * error. These helpers read them without leaking anything but LND's own words.
 */

interface GrpcError {
  code?: number
  details?: string
  message?: string
}

function grpcErrorOf(error: unknown): GrpcError | undefined {
  if (Array.isArray(error)) {
    const detail = error[2] as { err?: GrpcError } | undefined
    return detail?.err
  }
  return error instanceof Error ? (error as GrpcError) : undefined
}

/** A short description: the lightning package's error name and LND's message, when there is one. */
export function describeLndError(error: unknown): string {
  if (Array.isArray(error)) {
    const details = grpcErrorOf(error)?.details
    return details ? `${String(error[1])}: ${details}` : String(error[1])
  }
  return error instanceof Error ? error.message : String(error)
}

/** LND refused the call because the macaroon does not grant it. */
export function isPermissionDenied(error: unknown): boolean {
  const grpc = grpcErrorOf(error)
  const text = `${grpc?.details ?? ''} ${grpc?.message ?? ''}`
  return /permission denied|verification failed|expected 1 macaroon|cannot get macaroon/i.test(text)
}

/** The lightning package's error name (e.g. `SentPaymentNotFound`), or undefined for other errors. */
export function lndErrorName(error: unknown): string | undefined {
  return Array.isArray(error) ? String(error[1]) : undefined
}
