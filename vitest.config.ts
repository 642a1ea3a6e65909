import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{model,machines,properties,cli,examples,test-support}/**/*.test.ts', '*.test.ts'],
    globalSetup: ['test-support/buildDist.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
