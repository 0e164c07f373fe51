import { defineConfig } from 'vitest/config';

// `unit` needs nothing but Node; `db` and `e2e` need PostgreSQL (embedded by default, or
// TEST_DATABASE_URL); `e2e` also needs Chromium (/usr/bin/chromium) and builds the SPA first.
// The global setup migrates one template database; each test file clones it.
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
      {
        // Web components in a simulated DOM: table state <-> URL, forms from schemas, property rendering.
        test: {
          name: 'web',
          include: ['apps/web/test/components/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['./apps/web/test/components/setup.ts'],
          testTimeout: 20_000,
          // Their ESM imports dayjs plugins without file extensions, which only a bundler resolves.
          server: { deps: { inline: [/@rjsf\/mantine/, /@mantine\/dates/] } },
        },
      },
      {
        // The built SPA in Debian's headless Chromium against the real server and PostgreSQL.
        test: {
          name: 'e2e',
          include: ['apps/web/test/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          globalSetup: ['./test-support/postgres-global-setup.ts', './apps/web/test/e2e/build-web.global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
