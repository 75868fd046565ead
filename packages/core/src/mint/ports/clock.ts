/**
 * The clock port: time is injected, so expiry and locktime logic is testable and nothing in the
 * engine reads the system clock itself. Every Unix-seconds timestamp comes from `nowSeconds`.
 */
export interface Clock {
  /** Unix time in milliseconds. */
  nowMs(): number
}

export const systemClock: Clock = { nowMs: () => Date.now() }

export const nowSeconds = (clock: Clock): bigint => BigInt(Math.floor(clock.nowMs() / 1000))
