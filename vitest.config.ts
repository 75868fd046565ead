import { defineConfig } from 'vitest/config'

/**
 * Two projects: `unit` (everything that needs at most PostgreSQL) and `regtest` (btcd and LND on a
 * local regtest network, built by scripts/regtest-binaries.sh). `pnpm test` runs both.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
            'apps/*/test/**/*.test.ts',
          ],
          // Generous for a loaded 2-core CI machine; a hang still fails.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'regtest',
          include: ['apps/*/test/regtest/**/*.regtest.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
})
