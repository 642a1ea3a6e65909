import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant (npm run mutate): every test that exercises the model's
 * rules in process. Left out: the end-to-end runs of the built binary and the Chromium tests (a mutant
 * lives in the instrumented sources, not in dist/ or a browser), and the slow randomized sweeps of the
 * abstraction, which test the checker rather than the rules.
 */
export default defineConfig({
  test: {
    include: ['{model,machines,properties,examples}/**/*.test.ts', 'cli/{replayCommand,checkCommand,diagramCommand}.test.ts'],
    exclude: ['properties/canonical.prop.test.ts', 'properties/decomposition.test.ts', 'model/itl/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
