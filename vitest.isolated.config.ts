import { defineConfig } from 'vitest/config';

/**
 * Tests that run alone, one file at a time, after the others (`npm test` runs this last): each
 * starts several server processes and hundreds of executions, whose timing (an outage landing
 * mid-run, SIGKILLs among busy processes) needs the machine's cores to itself. None touches the
 * machine's shared database servers: test/isolated/postgres-restart.test.ts restarts a private
 * PostgreSQL cluster of its own (test/support/private-postgres.ts).
 */
export default defineConfig({
  test: {
    include: ['test/isolated/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 20_000,
  },
});
