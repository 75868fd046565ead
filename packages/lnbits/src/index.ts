/**
 * `@cashu-mint/lnbits`: a payment backend on an LNbits wallet (REST with its admin key, settlements
 * over its websocket, checked with the API).
 * @module @cashu-mint/lnbits
 */
export { connectLnbits, LnbitsBackend, type LnbitsOptions } from './lnbits-backend.ts'
