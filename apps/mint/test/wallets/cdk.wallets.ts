/** The wallets lane's flow with CDK's wallet CLI (cdk-wallet.ts). */
import { cdkWallet } from './cdk-wallet.ts'
import { walletFlow } from './wallet-flow.ts'

walletFlow('CDK 0.18 (cdk-cli)', cdkWallet)
