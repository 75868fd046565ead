/**
 * The NUT error codes (cashubtc/nuts error_codes.md, 2026 numbering) and the one error class the
 * mint throws. The HTTP edge turns a MintError into `400 {"detail","code"}` in one place.
 */
export const ErrorCode = {
  /** Not in the spec table: a request that does not parse or fails its schema. */
  MALFORMED_REQUEST: 10000,
  /** NUT-03/05: a proof's signature or spending condition does not verify. */
  PROOF_VERIFICATION_FAILED: 10001,
  /** NUT-03/05 */
  PROOFS_ALREADY_SPENT: 11001,
  /** NUT-03/05 */
  PROOFS_PENDING: 11002,
  /** NUT-03/04/05 */
  OUTPUTS_ALREADY_SIGNED: 11003,
  /** NUT-03/04/05 */
  OUTPUTS_PENDING: 11004,
  /** NUT-02/03/05: inputs != outputs + fees */
  TRANSACTION_UNBALANCED: 11005,
  /** NUT-04/05 */
  AMOUNT_OUT_OF_LIMIT_RANGE: 11006,
  /** NUT-03/04/05 */
  DUPLICATE_INPUTS: 11007,
  /** NUT-03/04/05 */
  DUPLICATE_OUTPUTS: 11008,
  /** NUT-03/04/05 */
  MULTIPLE_UNITS: 11009,
  /** NUT-03/04/05 */
  INPUT_OUTPUT_UNIT_MISMATCH: 11010,
  /** NUT-05 */
  AMOUNTLESS_INVOICE_UNSUPPORTED: 11011,
  /** NUT-05 */
  AMOUNT_MISMATCH: 11012,
  /** NUT-04/05 */
  UNIT_UNSUPPORTED: 11013,
  /** NUT-03/05 */
  MAX_INPUTS_EXCEEDED: 11014,
  /** NUT-03/04/05 */
  MAX_OUTPUTS_EXCEEDED: 11015,
  /** NUT-29 */
  DUPLICATE_QUOTE_IDS: 11016,
  /** NUT-29 */
  MAX_BATCH_SIZE_EXCEEDED: 11017,
  /** NUT-02/04 */
  KEYSET_UNKNOWN: 12001,
  /** NUT-02/03/04 */
  KEYSET_INACTIVE: 12002,
  /** NUT-02/03/04/05 */
  KEYSET_EXPIRED: 12003,
  /** NUT-04 */
  QUOTE_NOT_PAID: 20001,
  /** NUT-04 */
  QUOTE_ALREADY_ISSUED: 20002,
  /** NUT-04 */
  MINTING_DISABLED: 20003,
  /** NUT-05 */
  LIGHTNING_PAYMENT_FAILED: 20004,
  /** NUT-04/05/29 */
  QUOTE_PENDING: 20005,
  /** NUT-05 */
  INVOICE_ALREADY_PAID: 20006,
  /** NUT-04/05 */
  QUOTE_EXPIRED: 20007,
  /** NUT-20 */
  QUOTE_SIGNATURE_INVALID: 20008,
  /** NUT-20 */
  QUOTE_PUBKEY_REQUIRED: 20009,
  /** NUT-21: the endpoint needs a `Clear-auth` token */
  CLEAR_AUTH_REQUIRED: 30001,
  /** NUT-21: the `Clear-auth` token does not verify (signature, issuer, client, expiry) */
  CLEAR_AUTH_FAILED: 30002,
  /** NUT-22: the endpoint needs a `Blind-auth` token */
  BLIND_AUTH_REQUIRED: 31001,
  /** NUT-22: the `Blind-auth` token does not verify or was spent */
  BLIND_AUTH_FAILED: 31002,
  /** NUT-22: more BATs asked for than `bat_max_mint` */
  BAT_MINT_MAX_EXCEEDED: 31003,
  /** NUT-22: too many BAT mint requests for this user right now */
  BAT_MINT_RATE_LIMITED: 31004,
  /**
   * Not in the spec table: a dependency of the mint (database, Lightning backend, signer) is down;
   * answered with HTTP 503 and Retry-After, so wallets and load balancers retry.
   */
  TEMPORARILY_UNAVAILABLE: 50000,
} as const

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

/** A protocol error with its NUT code; `detail` is shown to the wallet, so it never holds secrets. */
export class MintError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, detail: string) {
    super(detail)
    this.name = 'MintError'
    this.code = code
  }

  get detail(): string {
    return this.message
  }

  toJSON(): { detail: string; code: ErrorCode } {
    return { detail: this.message, code: this.code }
  }
}
