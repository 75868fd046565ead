/**
 * `@cashu-mint/fake-wallet`: a Lightning backend with no Lightning behind it, for development and
 * wallet test suites.
 * @module @cashu-mint/fake-wallet
 */
export {
  DEFAULT_OPENING_BALANCE_MSAT,
  type FakePaymentOutcome,
  FakeWallet,
  type FakeWalletOptions,
} from './fake-wallet.ts'
