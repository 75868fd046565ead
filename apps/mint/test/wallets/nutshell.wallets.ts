/** The wallets lane's flow with Nutshell's wallet CLI (nutshell-wallet.ts). */
import { nutshellWallet } from './nutshell-wallet.ts'
import { walletFlow } from './wallet-flow.ts'

walletFlow('Nutshell 0.21 (cashu CLI)', (mintUrl, unit, name) => nutshellWallet(mintUrl, unit, name))
