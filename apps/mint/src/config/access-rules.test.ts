import { describe, expect, it } from 'vitest'
import { accessNeeded, advertisedRules, assertUsableRules, parseEndpointList } from './access-rules.ts'

describe('NUT-21/22 access rules', () => {
  it('parses METHOD path lists and refuses anything but a trailing wildcard', () => {
    expect(parseEndpointList(' post /v1/swap,GET /v1/mint/* ,')).toEqual([
      { method: 'POST', path: '/v1/swap' },
      { method: 'GET', path: '/v1/mint/*' },
    ])
    expect(parseEndpointList('')).toEqual([])
    for (const bad of [
      'POST /v1/*/x',
      'PUT /v1/swap',
      'POST v1/swap',
      'POST /v1/swap extra',
      'POST ^/v1/.*$',
    ])
      expect(() => parseEndpointList(bad), bad).toThrow('is not "METHOD /path"')
  })

  it('matches exact paths and prefixes, keeps info and keys open and always guards BAT minting', () => {
    const rules = {
      clear: parseEndpointList('GET /v1/mint/quote*'),
      blind: parseEndpointList('POST /v1/*, GET /v1/*'),
    }
    expect(accessNeeded(rules, 'POST', '/v1/swap')).toEqual({ clear: false, blind: true })
    expect(accessNeeded(rules, 'GET', '/v1/mint/quote/bolt11/q')).toEqual({ clear: true, blind: true })
    expect(accessNeeded(rules, 'GET', '/v1/info')).toEqual({ clear: false, blind: false })
    expect(accessNeeded(rules, 'GET', '/v1/keys/01ab')).toEqual({ clear: false, blind: false })
    expect(accessNeeded(rules, 'GET', '/v1/auth/blind/keysets')).toEqual({ clear: false, blind: false })
    expect(accessNeeded(rules, 'POST', '/v1/auth/blind/mint')).toEqual({ clear: true, blind: false })
    expect(accessNeeded({ clear: [], blind: [] }, 'POST', '/v1/swap')).toEqual({ clear: false, blind: false })
    expect(advertisedRules({ clear: [], blind: [] }).clear).toEqual([
      { method: 'POST', path: '/v1/auth/blind/mint' },
    ])
    expect(advertisedRules(rules).clear).toHaveLength(2)
  })

  it('refuses rules that cover an endpoint that stays open, or that put BAT minting behind a BAT', () => {
    const rules = (clear: string, blind: string) => ({
      clear: parseEndpointList(clear),
      blind: parseEndpointList(blind),
    })
    expect(() =>
      assertUsableRules(rules('POST /v1/auth/blind/mint', 'POST /v1/mint/*, GET /v1/mint/*')),
    ).not.toThrow()
    expect(() => assertUsableRules(rules('', 'GET /v1/*'))).toThrow('covers /v1/info, which stays open')
    expect(() => assertUsableRules(rules('GET /v1/key*', ''))).toThrow('covers /v1/keys')
    expect(() => assertUsableRules(rules('', 'POST /v1/auth/*'))).toThrow('BATs would need a BAT')
  })
})
