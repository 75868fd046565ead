/**
 * Amounts are u64 (NUT-00), carried as bigint everywhere so nothing rounds above 2^53.
 */
export const U64_MAX = 2n ** 64n - 1n

export function isU64(value: bigint): boolean {
  return value >= 0n && value <= U64_MAX
}

/** Sum of amounts; throws if the total leaves u64, which a mint must refuse rather than wrap. */
export function sumAmounts(amounts: Iterable<bigint>): bigint {
  let total = 0n
  for (const amount of amounts) total += amount
  if (!isU64(total)) throw new RangeError('amount total exceeds u64')
  return total
}

/** Whether the amount is a single power of two (the only amounts a keyset has keys for). */
export function isPowerOfTwo(amount: bigint): boolean {
  return amount > 0n && (amount & (amount - 1n)) === 0n
}

/** The binary decomposition of an amount, smallest denomination first (NUT-00 wallets' default split). */
export function splitAmount(amount: bigint): bigint[] {
  if (!isU64(amount)) throw new RangeError('amount must be a u64')
  const parts: bigint[] = []
  for (let bit = 1n; bit <= amount; bit <<= 1n) if (amount & bit) parts.push(bit)
  return parts
}
