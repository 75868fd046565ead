/**
 * What the wallets lane asks of a wallet no one here wrote: the operations a user runs against a
 * mint, each done the way that wallet does it (a CLI command, or the library's own calls). Amounts
 * are in the wallet's unit. A driver fails by throwing, with the wallet's own words.
 */
export interface WalletDriver {
  /** The mint's NUT-06 info as the wallet shows it (its printout or the object it parsed). */
  info(): Promise<string>
  /** Tops up over a mint quote, waiting for the FakeWallet to pay it, and mints. */
  mint(amount: number): Promise<void>
  /** The spendable balance. */
  balance(): Promise<number>
  /** A token worth `amount`, swapped so it holds exactly that. */
  send(amount: number): Promise<string>
  /** Receives a token (swaps it at the mint); rejects when the wallet or the mint refuses it. */
  receive(token: string): Promise<void>
  /** A public key this wallet can sign for, to lock ecash to (NUT-11). */
  lockKey(): Promise<string>
  /** A token worth `amount` locked to `publicKey` (P2PK). */
  sendLocked(amount: number, publicKey: string): Promise<string>
  /** Pays a bolt11 invoice by melting (NUT-05). */
  pay(invoice: string): Promise<void>
  /** Checks its pending sent tokens with the mint and drops what was spent (NUT-07). */
  burn(): Promise<void>
  /** A new wallet from this wallet's seed alone, restored from the mint (NUT-09/13). */
  restore(): Promise<WalletDriver>
  /**
   * Fetches the mint's keysets again, as a wallet does now and then: after a keyset rotation, one that
   * keeps them (a library) would otherwise ask for signatures on a retired keyset. The CLIs fetch them
   * on every command.
   */
  refresh?(): Promise<void>
  /** Lets go of what the wallet holds open (a library's websockets) before its mint stops. */
  close?(): Promise<void>
}

/** Makes the wallets of one kind against one mint: `name` keeps them apart (folder, seed). */
export type WalletFactory = (mintUrl: string, unit: string, name: string) => Promise<WalletDriver>
