/**
 * The test framework's shape the conformance suites run with (vitest's `describe`, `it` and
 * `expect` fit it), so this package does not load a test framework itself.
 */
export interface Expectation {
  toBe(expected: unknown): void
  toEqual(expected: unknown): void
  toBeUndefined(): void
  toContain(expected: unknown): void
  toContainEqual(expected: unknown): void
  toThrow(expected?: string): void
  toBeGreaterThan(expected: number | bigint): void
  toBeGreaterThanOrEqual(expected: number | bigint): void
  toBeLessThanOrEqual(expected: number | bigint): void
  toMatch(expected: RegExp): void
  not: Expectation
  rejects: { toThrow(expected?: string): Promise<void> }
}

/** The test framework's functions the suite runs with. */
export interface TestApi {
  describe(name: string, body: () => void): void
  it(name: string, body: () => Promise<void>, timeoutMs?: number): void
  expect(actual: unknown): Expectation
}
