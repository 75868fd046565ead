/**
 * The NUT-21 verifier's claim checks, against a provider stand-in that serves a discovery document
 * and a key set over HTTP (the real provider is in apps/mint/test/access-control.test.ts).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ClearAuthVerifier, createClearAuth } from './clear-auth.ts'

let issuer: string
let close: () => void
let signRaw: (claims: JWTPayload) => Promise<string>
const sign = (claims: JWTPayload) => signRaw({ sub: 'user-1', iss: issuer, ...claims })
let verifier: ClearAuthVerifier

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    if (req.url === '/jwks') return res.end(JSON.stringify({ keys: [jwk] }))
    res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  close = () => server.close()
  signRaw = (claims) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setExpirationTime('5m')
      .sign(privateKey)
  verifier = createClearAuth({
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    clientId: 'cashu-client',
  })
})
afterAll(() => close?.())

const refusal = (token: string) =>
  verifier.verify(token).then(
    () => 'accepted',
    (error: { code: number; message: string }) => `${error.code} ${error.message}`,
  )

describe('NUT-21 clear auth claims', () => {
  it('accepts a token naming the mint client by azp, client_id, cid or, failing those, aud', async () => {
    for (const claims of [
      { azp: 'cashu-client' },
      { client_id: 'cashu-client' },
      { cid: 'cashu-client' },
      { aud: ['x', 'cashu-client'] },
    ])
      expect(await verifier.verify(await sign(claims))).toEqual({ subject: 'user-1' })
  })

  it('refuses tokens for another client, naming no client, from another issuer, or without a subject', async () => {
    expect(await refusal(await sign({ azp: 'billing-app' }))).toBe(
      '30002 Clear-auth: the token was issued to another client',
    )
    expect(await refusal(await sign({ azp: 'cashu-client', client_id: 'billing-app' }))).toContain(
      'another client',
    )
    expect(await refusal(await sign({ aud: 'account' }))).toContain('names no client')
    expect(await refusal(await sign({ azp: 'cashu-client', iss: 'https://evil.example' }))).toContain('"iss"')
    expect(await refusal(await signRaw({ iss: issuer, azp: 'cashu-client' }))).toContain('"sub"')
    expect(await refusal(await sign({ azp: 'cashu-client', sub: '' }))).toContain('no subject')
  })

  it('refuses unsigned and HMAC tokens', async () => {
    const [, payload] = (await sign({ azp: 'cashu-client' })).split('.') as [string, string]
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`
    expect(await refusal(none)).toMatch(/^30002/)
    const hmac = await new SignJWT({ sub: 'user-1', azp: 'cashu-client' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setIssuer(issuer)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a shared secret of thirty-two bytes'))
    expect(await refusal(hmac)).toMatch(/^30002/)
  })
})
