/**
 * The service's folders import one way: config <- observability, import <- api <- public, admin <-
 * the service's wiring pieces <- the entry points (server, main, index) <- cli. The public NUT API and the operator's admin API never
 * import each other.
 */
import { expect, it } from 'vitest'
import { layerViolations } from '../../../test/layers/import-layers.ts'

it('puts every source file in a known folder, and imports only run downward', () => {
  expect(
    layerViolations(import.meta.dirname, {
      config: 0,
      observability: 1,
      import: 1,
      api: 2,
      public: 3,
      admin: 3,
      service: 4,
      '.': 5,
      cli: 6,
    }),
  ).toEqual([])
})
