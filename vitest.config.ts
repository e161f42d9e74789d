import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Heavy multi-process runs that want the machine to themselves: run alone, by vitest.isolated.config.ts.
    exclude: [...configDefaults.exclude, 'test/isolated/**'],
    testTimeout: 20_000,
  },
});
