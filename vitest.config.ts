import { defineConfig } from 'vitest/config'

/**
 * Four projects: `unit` (everything that needs at most PostgreSQL), `regtest` (btcd and LND on a
 * local regtest network, built by scripts/regtest-binaries.sh), `wallets` (wallets no one here
 * wrote, against mints started the README's way: Nutshell's and CDK's CLIs, cashu-ts 4 and 2, coco)
 * and `packaging` (the packed packages installed with npm outside the workspace). scripts/test.sh runs
 * all four.
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
      {
        test: {
          name: 'wallets',
          include: ['apps/*/test/wallets/**/*.wallets.ts'],
          // Wallet CLIs start a process per command; a mint start runs scripts/start.sh.
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'packaging',
          include: ['test/packaging/**/*.test.ts'],
          // npm installs the tarballs and their dependencies from the registry.
          testTimeout: 180_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
})
