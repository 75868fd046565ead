/**
 * MintStore over drizzle: the repository functions bound to a database handle, and transactions
 * that bind the same functions to the transaction.
 */
import type { MintStore, MintStoreTx } from '@cashu-mint/core/mint'
import * as auth from './auth-repository.ts'
import type { Db } from './db.ts'
import * as keysets from './keyset-repository.ts'
import * as proofs from './proof-repository.ts'
import * as books from './provider-books-repository.ts'
import * as quotes from './quote-repository.ts'
import * as sagas from './saga-repository.ts'
import * as positions from './settlement-position-repository.ts'
import * as signatures from './signature-repository.ts'
import { groupSpends } from './spend-groups.ts'
import { recordSpend } from './spend-repository.ts'

function bind(db: Db): MintStoreTx {
  return {
    insertKeyset: (k) => keysets.insertKeyset(db, k),
    listKeysets: () => keysets.listKeysets(db),
    setKeysetActive: (id, active) => keysets.setKeysetActive(db, id, active),
    insertProofs: (p) => proofs.insertProofs(db, p),
    findProofs: (ys) => proofs.findProofs(db, ys),
    markProofsSpent: (ys, op) => proofs.markProofsSpent(db, ys, op),
    deletePendingProofs: (ys, op) => proofs.deletePendingProofs(db, ys, op),
    insertSignatures: (s) => signatures.insertSignatures(db, s),
    findSignatures: (b) => signatures.findSignatures(db, b),
    recordSpend: (p, s) => recordSpend(db, p, s),
    insertMintQuote: (q) => quotes.insertMintQuote(db, q),
    getMintQuote: (id, forUpdate) => quotes.getMintQuote(db, id, forUpdate),
    getMintQuoteByPaymentHash: (hash) => quotes.getMintQuoteByPaymentHash(db, hash),
    updateMintQuote: (id, changes) => quotes.updateMintQuote(db, id, changes),
    listMintQuotes: (filter) => quotes.listMintQuotes(db, filter),
    insertMeltQuote: (q) => quotes.insertMeltQuote(db, q),
    getMeltQuote: (id) => quotes.getMeltQuote(db, id),
    updateMeltQuote: (id, changes, from) => quotes.updateMeltQuote(db, id, changes, from),
    insertMeltSaga: (s) => sagas.insertMeltSaga(db, s),
    findMeltSaga: (quoteId) => sagas.findMeltSaga(db, quoteId),
    updateMeltSaga: (id, state, at) => sagas.updateMeltSaga(db, id, state, at),
    listUnfinishedMeltSagas: () => sagas.listUnfinishedMeltSagas(db),
    insertIssuance: (issuance) => books.insertIssuance(db, issuance),
    listIssuances: (filter) => books.listIssuances(db, filter),
    insertReceipt: (receipt) => books.insertReceipt(db, receipt),
    findReceipt: (tokenHash) => books.findReceipt(db, { tokenHash }),
    getReceipt: (id) => books.findReceipt(db, { id }),
    insertRefund: (refund) => books.insertRefund(db, refund),
    findRefund: (receiptId) => books.findRefund(db, receiptId),
    insertHold: (hold) => books.insertHold(db, hold),
    getHold: (receiptId) => books.getHold(db, receiptId),
    listExpiredHolds: (now, limit) => books.listExpiredHolds(db, now, limit),
    reserveAuthProof: (proof) => auth.reserveAuthProof(db, proof),
    finishAuthProof: (y, reservation, succeeded) => auth.finishAuthProof(db, y, reservation, succeeded),
    listPendingAuthProofs: () => auth.listPendingAuthProofs(db),
    countAuthIssuance: (subject, bats, now, perMinute) =>
      auth.countAuthIssuance(db, subject, bats, now, perMinute),
    listAuthIssuance: () => auth.listAuthIssuance(db),
    getSettlementPosition: (backend) => positions.getSettlementPosition(db, backend),
    saveSettlementPosition: (backend, position, at) =>
      positions.saveSettlementPosition(db, backend, position, at),
  }
}

/**
 * `spendWriters`: when set, the swaps of one turn of the event loop are written as one statement,
 * at most this many such groups at once (spend-groups.ts); unset, each swap is written alone, at
 * once. Inside a transaction it always is.
 */
export function createDrizzleStore(db: Db, close: () => Promise<void>, spendWriters?: number): MintStore {
  const store = bind(db)
  return {
    ...store,
    ...(spendWriters === undefined ? {} : { recordSpend: groupSpends(store.recordSpend, spendWriters) }),
    transaction: (work) => db.transaction((tx) => work(bind(tx as unknown as Db))),
    close,
  }
}
