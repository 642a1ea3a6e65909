import type { Coverage } from './coverage.ts';
import type { FoundLog } from './explorer/checkRuns.ts';
import { explore } from './explorer/explore.ts';
import { WEAKNESSES, type Weakness } from './registry.ts';
import { concretize } from './schedule.ts';
import { scopeOf, type SpecScope } from './spec/scope.ts';

/** What the search for one known weakness found: its shortest counterexamples (none when the weakness is gone). */
export interface WeaknessResult {
  weakness: Weakness;
  found: FoundLog[];
  /** The scope it was explored in, in words. */
  scope: string;
  coverage: Coverage;
}

/** Each known weakness explored in its own scope (its options and the alphabet of its cause): the shortest counterexamples, as logs. */
export function exploreWeaknesses(
  nodes: number,
  phones: number,
  maxDepth: number,
  counterexamples = 1,
): WeaknessResult[] {
  return WEAKNESSES.map((weakness) => {
    const scope = weaknessScope(nodes, phones, weakness.options);
    const result = explore({
      scope,
      alphabet: weakness.alphabet,
      properties: [weakness.property],
      maxDepth,
      counterexamples,
    });
    const found = (result.violations.get(weakness.property) ?? []).map((v) => ({
      reason: v.reason,
      counterexample: concretize(scope, [...v.trace, ...v.witness]),
    }));
    return {
      weakness,
      found,
      coverage: result.coverage,
      scope: `${nodes} nodes, ${phones} phones${weakness.options.pre10 ? ', installed before 10.0' : ''}${weakness.options.holdTimer === false ? ', hold timer off' : ''}`,
    };
  });
}

/** The scope of a known weakness: the check's nodes and phones, with its options. Pure. */
export function weaknessScope(
  nodes: number,
  phones: number,
  options: { pre10?: boolean; holdTimer?: boolean },
): SpecScope {
  return scopeOf(nodes, phones, { pre10: options.pre10 ?? false, holdTimer: options.holdTimer ?? true });
}
