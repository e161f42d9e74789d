import { defineConfig } from 'vitest/config';
import { postgresUnavailable } from './test/support/postgres-test-run.js';

/**
 * The engine's integration tests again, on PostgreSQL as `server standalone` runs on it (store
 * and internal storage; test/engine/support/test-store.ts), after the SQLite run of
 * vitest.config.ts. Skipped, with the reason, when PostgreSQL does not answer, unless
 * WINDHOVER_TEST_REQUIRE_DATABASES=1 (then the run fails).
 */
export default defineConfig(async () => {
  const unavailable = await postgresUnavailable();
  if (unavailable && process.env.WINDHOVER_TEST_REQUIRE_DATABASES === '1')
    throw new Error(`${unavailable}; WINDHOVER_TEST_REQUIRE_DATABASES=1 requires it (see .ci/run)`);
  if (unavailable) console.warn(`skipping the engine tests on PostgreSQL: ${unavailable}`);
  return {
    test: {
      include: unavailable
        ? []
        : [
            // Those using startTestRuntime (the engine's pure unit tests have no store).
            'test/engine/runtime.test.ts',
            'test/engine/concurrency.test.ts',
            'test/engine/shutdown.test.ts',
            'test/engine/crash.test.ts',
            'test/plugins/course-run.test.ts',
            'test/plugins/kv.test.ts',
            'test/plugins/storage.test.ts',
            'test/plugins/namespace-files.test.ts',
            'test/plugins/scripts/script-tasks.test.ts',
            'test/plugins/scripts/working-directory.test.ts',
            'test/plugins/scripts/kestra-module.test.ts',
            'test/plugins/scripts/python.test.ts',
            'test/plugins/scripts/process-tree.test.ts',
            'test/plugins/dbt/dbt-cli.test.ts',
            // Kestra conformance: every case again on PostgreSQL (about 10 s).
            'test/conformance/conformance.test.ts',
          ],
      passWithNoTests: true,
      globalSetup: unavailable ? [] : ['test/support/postgres-test-run.ts'],
      env: { WINDHOVER_TEST_STORE: 'postgres' },
      testTimeout: 20_000,
    },
  };
});
