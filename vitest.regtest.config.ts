import { defineConfig } from 'vitest/config'

/** `pnpm test:regtest`: the suites that run against btcd and LND on a local regtest network. */
export default defineConfig({
  test: {
    include: ['apps/*/test/regtest/**/*.regtest.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
})
