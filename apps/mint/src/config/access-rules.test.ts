import { describe, expect, it } from 'vitest'
import { advertisedRules, parseEndpointList } from './access-rules.ts'

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

  it('always lists BAT minting among the clear auth endpoints /v1/info advertises', () => {
    expect(advertisedRules({ clear: [], blind: [] }).clear).toEqual([
      { method: 'POST', path: '/v1/auth/blind/mint' },
    ])
    expect(
      advertisedRules({ clear: parseEndpointList('GET /v1/mint/quote*'), blind: [] }).clear,
    ).toHaveLength(2)
  })
})
