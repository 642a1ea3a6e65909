import { configDefaults, defineConfig } from 'vitest/config';
import { quickFirst } from './test-support/quickFirst.ts';

/** The test files in this order: the quick tests that state one rule first, the random sweeps last. */
const ORDER = [
  'model/trust/',
  'machines/phoneMachine',
  'machines/nodeMachine',
  'model/cluster/',
  'properties/',
  'examples/examples',
  'examples/reports',
  'model/replay/',
  'machines/machinesEqualModel',
];

/**
 * The tests StrykerJS runs against each mutant of the phone's rules (npm run mutate:rules, over
 * model/trust): the tests that decide what a phone accepts, quickly. The rules' unit tests (the phone
 * machine's, the step's), every example log replayed to its expected outcome and to its checked-in
 * --json report, the negative traces and the necessity checks of the properties, and the model's
 * own fold held equal to the machines on random logs (the fold takes the phone's step in
 * model/trust/phoneStep.ts, the machines by their guards). Left out, to keep a mutant fast: the
 * other randomized sweeps and the CLI's end-to-end runs.
 */
export default defineConfig({
  test: {
    include: [
      // With why each rule refuses, whole: itlReasons, ctlReasons, bootSteps, trustParts (issue 12, item 4).
      'model/trust/**/*.test.ts',
      'model/cluster/step.test.ts',
      'machines/phoneMachine.test.ts',
      'machines/nodeMachine.test.ts',
      'examples/examples.test.ts',
      // Every example's --json report: the status lines and the typed reasons of each refusal.
      'examples/reports.test.ts',
      'properties/negativeTraces.test.ts',
      'properties/necessity.test.ts',
      // The model's own fold (model/trust/phoneStep.ts) on random logs: without these, its mutants live.
      'machines/machinesEqualModel.prop.test.ts',
      'model/replay/**/*.test.ts',
    ],
    // Phones alike deciding alike is the replay's, not the rules': its property runs many replays.
    exclude: [...configDefaults.exclude, 'model/replay/phoneShape*.test.ts'],
    sequence: { sequencer: quickFirst(ORDER) },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
