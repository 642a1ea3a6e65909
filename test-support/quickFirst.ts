import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * A vitest sequencer that runs the test files in the order of `order` (path prefixes; a file that
 * matches none runs last, files of one rank by name). For StrykerJS: a mutant's run stops at its
 * first failing test, so the tests most likely to kill a mutant of the mutated folder come first and
 * the slow sweeps last.
 */
export function quickFirst(order: readonly string[]): typeof BaseSequencer {
  return class QuickFirst extends BaseSequencer {
    override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
      const rank = (f: TestSpecification) => {
        const i = order.findIndex((prefix) => f.moduleId.includes(`/${prefix}`));
        return i < 0 ? order.length : i;
      };
      return Promise.resolve([...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId)));
    }
  };
}
