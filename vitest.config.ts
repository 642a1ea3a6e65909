import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{model,machines,properties,cli,examples}/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
