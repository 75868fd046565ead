import { describe, expect, it } from 'vitest'
import { parseEndpointList } from '../config/access-rules.ts'
import { accessNeeded, assertUsableRules, openPathsOf } from './protected-routes.ts'
import { infoRoute, publicRoutes } from './routes.ts'

const open = openPathsOf([infoRoute(() => ({})), ...publicRoutes(['bolt11'], true)])

describe('NUT-21/22 rules against the route table', () => {
  it('keeps open what a wallet reads before it holds a token, as the table marks it', () => {
    expect(open.sort()).toEqual(
      [
        '/v1/info',
        '/v1/keys',
        '/v1/keys/*',
        '/v1/keysets',
        '/v1/auth/blind/keys',
        '/v1/auth/blind/keys/*',
        '/v1/auth/blind/keysets',
      ].sort(),
    )
  })

  it('matches exact paths and prefixes, keeps info and keys open and always guards BAT minting', () => {
    const rules = {
      clear: parseEndpointList('GET /v1/mint/quote*'),
      blind: parseEndpointList('POST /v1/*, GET /v1/*'),
    }
    expect(accessNeeded(rules, open, 'POST', '/v1/swap')).toEqual({ clear: false, blind: true })
    expect(accessNeeded(rules, open, 'GET', '/v1/mint/quote/bolt11/q')).toEqual({ clear: true, blind: true })
    expect(accessNeeded(rules, open, 'GET', '/v1/info')).toEqual({ clear: false, blind: false })
    expect(accessNeeded(rules, open, 'GET', '/v1/keys/01ab')).toEqual({ clear: false, blind: false })
    expect(accessNeeded(rules, open, 'GET', '/v1/auth/blind/keysets')).toEqual({ clear: false, blind: false })
    expect(accessNeeded(rules, open, 'POST', '/v1/auth/blind/mint')).toEqual({ clear: true, blind: false })
    expect(accessNeeded({ clear: [], blind: [] }, open, 'POST', '/v1/swap')).toEqual({
      clear: false,
      blind: false,
    })
  })

  it('refuses rules that cover an endpoint that stays open, or that put BAT minting behind a BAT', () => {
    const rules = (clear: string, blind: string) => ({
      clear: parseEndpointList(clear),
      blind: parseEndpointList(blind),
    })
    expect(() =>
      assertUsableRules(rules('POST /v1/auth/blind/mint', 'POST /v1/mint/*, GET /v1/mint/*'), open),
    ).not.toThrow()
    expect(() => assertUsableRules(rules('', 'GET /v1/*'), open)).toThrow(
      /^CASHU_MINT_AUTH_BLIND_ENDPOINTS: "GET \/v1\/\*" covers \/v1\/[a-z/]+, which stays open$/,
    )
    expect(() => assertUsableRules(rules('GET /v1/key*', ''), open)).toThrow('covers /v1/keys')
    expect(() => assertUsableRules(rules('', 'POST /v1/auth/*'), open)).toThrow('BATs would need a BAT')
  })
})
