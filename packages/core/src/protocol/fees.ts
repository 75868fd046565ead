/**
 * NUT-02: input fees. Each input costs its keyset's input_fee_ppk (parts per thousand of the unit);
 * the fee for a transaction is ceil(sum(input_fee_ppk) / 1000), rounded up once over all inputs.
 */
export function inputFee(feesPpk: Iterable<bigint>): bigint {
  let total = 0n
  for (const ppk of feesPpk) {
    if (ppk < 0n) throw new RangeError('input_fee_ppk must not be negative')
    total += ppk
  }
  return (total + 999n) / 1000n
}
