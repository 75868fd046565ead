/** The wallets lane's flow with cashu-ts 4.8, the release Minibits and cashu.me pinned (cashu-ts-wallet.ts). */
import * as cashuTs from '@cashu/cashu-ts'
import { cashuTsWallets } from './cashu-ts-wallet.ts'
import { walletFlow } from './wallet-flow.ts'

walletFlow('cashu-ts 4.8', cashuTsWallets<cashuTs.Proof, cashuTs.MeltQuoteBolt11Response>(cashuTs))
