import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant (npm run mutate): every test that exercises the model's
 * rules in process. Left out: the end-to-end runs of the built binary and the Chromium tests (a mutant
 * lives in the instrumented sources, not in dist/ or a browser), the slow randomized sweeps of the
 * abstraction and `check`'s own runs, which test the checker rather than the rules, and the codec's
 * tests (model/itl is not mutated).
 */
export default defineConfig({
  test: {
    include: ['{model,machines,properties,examples}/**/*.test.ts', 'cli/replayCommand.test.ts'],
    exclude: [
      'properties/explorer/canonical.prop.test.ts',
      'properties/explorer/decomposition.test.ts',
      'model/itl/**',
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
