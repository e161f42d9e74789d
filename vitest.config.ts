import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // They restart the shared database server: run alone, by vitest.isolated.config.ts.
    exclude: [...configDefaults.exclude, 'test/isolated/**'],
    testTimeout: 20_000,
  },
});
