/**
 * A real OpenID Connect provider for the NUT-21 tests: the certified `oidc-provider` in this
 * process on 127.0.0.1, with a public client `cashu-client`, the device authorization grant and the
 * authorization code grant with PKCE, a login form that checks passwords, and JWT access tokens (the
 * CATs) for the mint as resource server. `approveDevice` is the user at the browser: it opens the
 * verification link, confirms the code and signs in, over plain HTTP with a cookie jar.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider'

export const CLIENT_ID = 'cashu-client'
export const RESOURCE = 'urn:cashu:mint:test'
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

export const USERS = {
  alice: { sub: 'user-alice', password: 'correct horse battery' },
  bob: { sub: 'user-bob', password: 'tr0ub4dor&3' },
} as const
export type UserName = keyof typeof USERS

export async function signingKey(alg: 'RS256' | 'ES256' = 'RS256'): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true })
  return { ...(await exportJWK(privateKey)), kid: `${alg}-${crypto.randomUUID()}`, alg, use: 'sig' }
}

/** Token lifetimes the tests change between logins. */
export interface TokenPolicy {
  accessTokenSeconds: number
}

function createProvider(issuer: string, keys: JWK[], policy: TokenPolicy): Provider {
  const resourceServer = () => ({
    scope: 'openid',
    audience: RESOURCE,
    accessTokenFormat: 'jwt' as const,
    accessTokenTTL: policy.accessTokenSeconds,
    jwt: { sign: { alg: 'RS256' as const } },
  })
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none',
        application_type: 'native',
        grant_types: ['authorization_code', DEVICE_GRANT, 'refresh_token'],
        response_types: ['code'],
        redirect_uris: ['http://localhost:33388/callback'],
      },
    ],
    jwks: { keys },
    cookies: { keys: ['openid-provider-test-cookie-key'] },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    scopes: ['openid', 'offline_access'],
    features: {
      devInteractions: { enabled: false },
      deviceFlow: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Wallets send no resource indicator: every token is for the mint, as a JWT.
        defaultResource: async () => RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, indicator) => {
          if (indicator !== RESOURCE) throw new errors.InvalidTarget()
          return resourceServer()
        },
      },
    },
    // A first-party wallet: the login grants the mint's scopes without a consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client?.clientId ?? '')
      if (grantId) {
        const existing = await oidc.provider.Grant.find(grantId)
        if (existing) return existing
      }
      if (!oidc.account || !oidc.client) return undefined
      const grant = new oidc.provider.Grant({
        clientId: oidc.client.clientId,
        accountId: oidc.account.accountId,
      })
      grant.addOIDCScope('openid offline_access')
      grant.addResourceScope(RESOURCE, 'openid')
      await grant.save()
      return grant
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Nutshell 0.21's wallet asks for a code without PKCE; NUT-21 has the provider offer PKCE.
    pkce: { required: () => false },
    ttl: {
      AccessToken: () => policy.accessTokenSeconds,
      DeviceCode: 600,
      IdToken: 3600,
      RefreshToken: 86_400,
      Interaction: 600,
      Session: 86_400,
      Grant: 86_400,
    },
  })
  // Wallets poll the token endpoint at the interval the provider gives: 1 s keeps tests quick.
  provider.on('device_authorization.success', (_ctx, body: Record<string, unknown>) => {
    body.interval = 1
  })
  return provider
}

const LOGIN_PATH = /^\/interaction\/([\w-]+)$/

/** The login page: a form whose password is checked against USERS. */
function withLogin(provider: Provider) {
  const callback = provider.callback()
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (!LOGIN_PATH.test(new URL(req.url ?? '/', 'http://x').pathname)) return callback(req, res)
    const details = await provider.interactionDetails(req, res)
    if (req.method === 'GET') {
      res.setHeader('content-type', 'text/html; charset=utf-8')
      return res.end(
        `<form method="post" action="/interaction/${details.uid}"><input name="username"><input type="password" name="password"></form>`,
      )
    }
    let text = ''
    for await (const chunk of req) text += chunk
    const form = new URLSearchParams(text)
    const user = USERS[form.get('username') as UserName] as (typeof USERS)[UserName] | undefined
    if (!user || user.password !== form.get('password')) {
      res.statusCode = 401
      return res.end('wrong username or password')
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub }, consent: {} },
      { mergeWithLastSubmission: false },
    )
  }
}

export interface OpenIdProvider {
  issuer: string
  discoveryUrl: string
  policy: TokenPolicy
  /** The same issuer with new signing keys, as after a key rotation. */
  rotateKeys(keys?: JWK[]): Promise<void>
  close(): Promise<void>
}

export async function startOpenIdProvider(): Promise<OpenIdProvider> {
  let handler: (req: IncomingMessage, res: ServerResponse) => unknown = (_req, res) => res.end()
  const server = createServer((req, res) => void handler(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const policy: TokenPolicy = { accessTokenSeconds: 600 }
  const rotateKeys = async (keys?: JWK[]) => {
    handler = withLogin(createProvider(issuer, keys ?? [await signingKey()], policy))
  }
  await rotateKeys()
  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    policy,
    rotateKeys,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/** A browser's cookie jar and form posts, following redirects by hand to keep every cookie. */
class Browser {
  readonly #cookies = new Map<string, string>()

  async open(
    url: string,
    form?: Record<string, string>,
  ): Promise<{ url: string; status: number; html: string }> {
    let method = form ? 'POST' : 'GET'
    let body = form ? new URLSearchParams(form).toString() : undefined
    for (let hop = 0; hop < 10; hop++) {
      const response = await fetch(url, {
        method,
        redirect: 'manual',
        headers: {
          cookie: [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; '),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(body ? { body } : {}),
      })
      for (const cookie of response.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';')
        const at = pair.indexOf('=')
        const value = pair.slice(at + 1).trim()
        if (value) this.#cookies.set(pair.slice(0, at).trim(), value)
        else this.#cookies.delete(pair.slice(0, at).trim())
      }
      const location = response.headers.get('location')
      if (response.status < 300 || response.status >= 400 || !location)
        return { url, status: response.status, html: await response.text() }
      url = new URL(location, url).href
      method = 'GET'
      body = undefined
    }
    throw new Error('too many redirects')
  }
}

/** The fields of the first form on a page, and where it posts. */
function firstForm(html: string, base: string): { action: string; fields: Record<string, string> } {
  const [, attributes = '', inner = ''] = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html) ?? []
  const action = /action="([^"]*)"/i.exec(attributes)?.[1] ?? base
  const fields: Record<string, string> = {}
  for (const [, tag = ''] of inner.matchAll(/<input\b([^>]*)>/gi)) {
    const name = /name="([^"]*)"/i.exec(tag)?.[1]
    if (name) fields[name] = /value="([^"]*)"/i.exec(tag)?.[1] ?? ''
  }
  return { action: new URL(action.replace(/&amp;/g, '&'), base).href, fields }
}

/** Signs in on the login page the browser is at; resolves to the final page's status. */
async function signIn(
  browser: Browser,
  page: { url: string; html: string },
  user: UserName,
  password?: string,
) {
  const login = firstForm(page.html, page.url)
  const done = await browser.open(login.action, {
    ...login.fields,
    username: user,
    password: password ?? USERS[user].password,
  })
  return done.status
}

/**
 * The user approves a device login: opens the verification link, confirms the code, signs in.
 * Resolves to the final page's status (200 signed in, 401 wrong password).
 */
export async function approveDevice(verificationUriComplete: string, user: UserName, password?: string) {
  const browser = new Browser()
  let page = await browser.open(verificationUriComplete)
  for (let step = 0; step < 2; step++) {
    const form = firstForm(page.html, page.url)
    page = await browser.open(form.action, form.fields)
  }
  return signIn(browser, page, user, password)
}

/**
 * The user follows a wallet's authorization link and signs in; the provider then sends the browser
 * to the wallet's redirect URI with the code (the wallet's own page answers it).
 */
export async function approveAuthorization(authorizationUrl: string, user: UserName) {
  const browser = new Browser()
  return signIn(browser, await browser.open(authorizationUrl), user)
}
