import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant of the phone's rules (npm run mutate:rules, over
 * model/trust): the tests that decide what a phone accepts, quickly. The rules' unit tests (the phone
 * machine's, the step's), every example log replayed to its expected outcome, the negative traces
 * and the necessity checks of the properties. Left out, to keep a mutant under a few seconds: the
 * randomized sweeps (they test the same rules again on random logs) and the CLI's end-to-end runs.
 */
export default defineConfig({
  test: {
    include: [
      'model/trust/**/*.test.ts',
      'model/cluster/step.test.ts',
      'machines/phoneMachine.test.ts',
      'machines/nodeMachine.test.ts',
      'examples/examples.test.ts',
      'properties/negativeTraces.test.ts',
      'properties/necessity.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
