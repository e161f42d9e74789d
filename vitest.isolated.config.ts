import { defineConfig } from 'vitest/config';

/**
 * Tests that must run alone, after the others (`npm test` runs this second): they disturb what
 * other tests share, e.g. test/isolated/postgres-restart.test.ts restarts the PostgreSQL server.
 */
export default defineConfig({
  test: {
    include: ['test/isolated/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 20_000,
  },
});
