import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node; `db` needs PostgreSQL (embedded by default, or
// TEST_DATABASE_URL). The global setup migrates one template database; each test file clones it.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'apps/server/test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'db',
          include: ['apps/server/test/db/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./test-support/postgres-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
