import { configDefaults, defineConfig } from 'vitest/config';
import { quickFirst } from './test-support/quickFirst.ts';

/** The cluster's own unit tests first (they kill most of its mutants), then every example's report, the rules' unit tests last. */
const ORDER = ['model/cluster/', 'examples/reports', 'properties/', 'model/plan/', 'machines/', 'model/trust/'];

/**
 * The tests StrykerJS runs against each mutant of the cluster's side (npm run mutate:cluster, over
 * model/cluster and properties/registry.ts), in the order of ORDER: the cluster's own unit tests
 * (one file per source file), every example's checked-in --json report (a replay through every kind
 * of cluster event, compared whole: status lines, refusals, hazards, notes, alerts), the registry's
 * tests, the properties' negative traces, necessity checks and invariants, the plan's runs, then the
 * machines' and the rules' unit tests (a phone reads what the cluster serves).
 *
 * Left out, to keep a surviving mutant under half a minute (every replay runs the cluster's code, so
 * StrykerJS's per-test coverage cannot narrow the set): the tests that hold two folds equal (the
 * machines against the model's own fold, a fold that owns its phones against one that copies them:
 * both sides run the same cluster code, so they cannot see most of its mutants; signer.ts's fold
 * and phoneTable.ts's copy-or-own choice, which they would see, have unit tests of their own),
 * examples.test.ts (its outcomes are part of the reports), and the randomized sweeps of the
 * properties and of the spec against the machines (minutes a mutant; `npm test` runs them).
 */
export default defineConfig({
  test: {
    include: [
      'model/cluster/**/*.test.ts',
      'model/trust/**/*.test.ts',
      'machines/phoneMachine.test.ts',
      'machines/nodeMachine.test.ts',
      'examples/reports.test.ts',
      'properties/negativeTraces.test.ts',
      'properties/necessity.test.ts',
      'properties/invariants.test.ts',
      'properties/registry.test.ts',
      'model/plan/**/*.test.ts',
    ],
    exclude: [...configDefaults.exclude],
    sequence: { sequencer: quickFirst(ORDER) },
    // The test files share one module graph (a third less CPU a mutant): StrykerJS switches mutants at
    // run time, and the caches that outlive a run are keyed by content (model/trust/realCrypto.ts,
    // model/itl/certFields.ts) or by objects a run makes (hazards, phone tables), so no run reads
    // another mutant's results. Static mutants, which module loading alone would run, are not tested
    // (ignoreStatic).
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
