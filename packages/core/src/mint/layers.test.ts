/**
 * The engine's rooms import one way: the ports and primitives <- keysets and signing <- checks
 * <- the context <- quotes <- operations and auth <- the engine itself (mint.ts, start-mint.ts,
 * background-work.ts). Operations never import auth, nor auth operations; a melt's files keep to
 * operations/melt.
 */
import { expect, it } from 'vitest'
import { layerViolations } from '../../../../test/layers/import-layers.ts'

it('puts every engine file in a known room, and imports only run downward', () => {
  expect(
    layerViolations(import.meta.dirname, {
      ports: 0,
      primitives: 0,
      keysets: 1,
      checks: 2,
      context: 3,
      quotes: 4,
      operations: 5,
      auth: 5,
      '.': 6,
    }),
  ).toEqual([])
})
