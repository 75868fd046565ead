/**
 * A cashu-ts wallet whose user logged in as NUT-21 says: cashu-ts's OIDC client runs the device
 * grant against the mint's provider, the user approves it in the "browser", and the access token
 * becomes the wallet's clear auth token; cashu-ts's AuthManager mints and spends the BATs.
 */
import { AuthManager, Mint, Wallet } from '@cashu/cashu-ts'
import { approveDevice, type UserName } from './openid-provider.ts'

export async function loginWallet(url: string, user: UserName) {
  const auth = new AuthManager(url, { desiredPoolSize: 20, maxPerMint: 20 })
  const mint = new Mint(url, { authProvider: auth })
  const oidc = await mint.oidcAuth({ onTokens: (tokens) => auth.setCAT(tokens.access_token) })
  auth.attachOIDC(oidc)
  const device = await oidc.startDeviceAuth(1)
  const signedIn = await approveDevice(device.verification_uri_complete ?? '', user)
  if (signedIn !== 200) throw new Error(`${user} could not sign in (${signedIn})`)
  const tokens = (await device.poll()) as { access_token: string; id_token: string }
  auth.setCAT(tokens.access_token)
  const wallet = new Wallet(mint, { unit: 'sat' })
  await wallet.loadMint()
  return { auth, wallet, tokens }
}

/** The `Blind-auth` header's BAT as JSON. */
export const batOf = (header: string): { id: string; secret: string; C: string } =>
  JSON.parse(Buffer.from(header.slice('authA'.length), 'base64url').toString())
