/** The wallets lane's flow with cashu-ts 4.13, the newest 4.x on the registry, through the same driver as 4.8. */
import * as cashuTs from 'cashu-ts-4-13'
import { cashuTsWallets } from './cashu-ts-wallet.ts'
import { walletFlow } from './wallet-flow.ts'

walletFlow('cashu-ts 4.13', cashuTsWallets<cashuTs.Proof, cashuTs.MeltQuoteBolt11Response>(cashuTs))
