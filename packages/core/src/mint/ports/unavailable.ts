/**
 * A dependency the mint works through (the database, the Lightning backend, a signer) cannot be
 * reached right now. Adapters throw it at the port for failures that say nothing about the request
 * (a refused or dropped connection, a server restarting), so the HTTP edge answers 503 with
 * Retry-After and the wallet retries, instead of a 500. Its message names the dependency's own
 * words, never a credential or a query's parameters.
 */
export type Dependency = 'database' | 'lightning' | 'signer'

export class UnavailableError extends Error {
  readonly dependency: Dependency
  /** When a retry makes sense, for Retry-After. */
  readonly retryAfterSeconds: number

  constructor(dependency: Dependency, message: string, retryAfterSeconds = 3) {
    super(`${dependency} unavailable: ${message}`)
    this.name = 'UnavailableError'
    this.dependency = dependency
    this.retryAfterSeconds = retryAfterSeconds
  }
}
