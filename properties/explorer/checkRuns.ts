/**
 * The explorer's runs as `check` makes them: one part (a scope) explored and its counterexamples
 * turned into logs, the per-phone decomposition into parts, the parts combined.
 */
import type { LogEvent } from '../../model/events.ts';
import { addCoverage, emptyCoverage, type Coverage } from '../coverage.ts';
import { nodeName } from '../concretize.ts';
import { PROPERTIES, type Property } from '../registry.ts';
import { concretize } from '../schedule.ts';
import type { Alphabet } from '../spec/events.ts';
import type { SpecScope } from '../spec/scope.ts';
import { DEFAULT_BUDGET_BYTES, packedExplore } from '../packed/packedExplore.ts';

/** Progress of a run: the part being explored (a phone configuration), its depth and counts. */
export type Progress = (part: string, depth: number, distinct: number, explored: number) => void;

/** A violation found by an exhaustive run, as a log `replay` accepts. */
export interface FoundLog {
  reason: string;
  counterexample: LogEvent[];
}

/** An exhaustive run's outcome, with counterexamples already turned into logs. */
export interface Exhaustive {
  statesExplored: number;
  distinctStates: number;
  depth: number;
  complete: boolean;
  seconds: number;
  /** Per property (by reference), its counterexamples, shortest first. */
  violations: Map<Property, FoundLog[]>;
  /** One entry per explored part: the product, or each phone configuration of the decomposition. */
  parts: Array<{
    part: string;
    distinctStates: number;
    statesExplored: number;
    depth: number;
    complete: boolean;
    seconds: number;
    /** The part stopped because its state store reached its memory budget (then `complete` is false). */
    outOfBudget: boolean;
  }>;
  coverage: Coverage;
}

/** A run's properties and options. */
export interface RunSpec {
  properties: readonly Property[];
  maxDepth: number;
  alphabet?: Alphabet;
  /** Up to this many distinct shortest counterexamples per property (default 1). */
  counterexamples?: number;
  /** Bytes the state stores of the parts running at once may take in all (default DEFAULT_BUDGET_BYTES, 768 MiB). */
  budgetBytes?: number;
  onProgress?: Progress;
}

/** One explored part: its counts, its counterexamples as logs, its coverage. */
export interface PartResult {
  part: Exhaustive['parts'][number];
  logs: Exhaustive['violations'];
  coverage: Coverage;
}

/**
 * Explores one part (a scope) with the packed explorer (properties/packed, within `spec.budgetBytes`)
 * and turns its violations into logs. Pure.
 */
export function explorePart(scope: SpecScope, part: string, spec: RunSpec): PartResult {
  const onProgress = spec.onProgress;
  const result = packedExplore({
    scope,
    budgetBytes: spec.budgetBytes ?? DEFAULT_BUDGET_BYTES,
    properties: spec.properties,
    maxDepth: spec.maxDepth,
    ...(spec.counterexamples ? { counterexamples: spec.counterexamples } : {}),
    ...(spec.alphabet ? { alphabet: spec.alphabet } : {}),
    ...(onProgress
      ? { onProgress: (d: number, distinct: number, explored: number) => onProgress(part, d, distinct, explored) }
      : {}),
  });
  const logs: Exhaustive['violations'] = new Map();
  for (const [property, found] of result.violations)
    logs.set(
      property,
      found.map((v) => ({ reason: v.reason, counterexample: concretize(scope, [...v.trace, ...v.witness]) })),
    );
  const { distinctStates, statesExplored, depth, complete, seconds, outOfBudget } = result;
  return {
    part: { part, distinctStates, statesExplored, depth, complete, seconds, outOfBudget },
    logs,
    coverage: result.coverage,
  };
}

/** Sums the parts (in their order, so the result does not depend on which finished first); `seconds` defaults to the sum of theirs. Pure. */
export function combine(parts: PartResult[], seconds?: number, wanted = 1): Exhaustive {
  const violations: Exhaustive['violations'] = new Map();
  for (const p of parts)
    for (const [property, found] of p.logs)
      violations.set(property, [...(violations.get(property) ?? []), ...found].slice(0, wanted));
  const coverage = emptyCoverage();
  for (const p of parts) addCoverage(coverage, p.coverage);
  const sum = (f: (x: Exhaustive['parts'][number]) => number) => parts.reduce((a, p) => a + f(p.part), 0);
  return {
    statesExplored: sum((x) => x.statesExplored),
    distinctStates: sum((x) => x.distinctStates),
    depth: Math.max(...parts.map((p) => p.part.depth)),
    complete: parts.every((p) => p.part.complete),
    seconds: seconds ?? sum((x) => x.seconds),
    violations,
    parts: parts.map((p) => p.part),
    coverage,
  };
}

/** The whole product of the scope explored as one state space (every phone in every state). */
export function exhaustiveProduct(scope: SpecScope, spec: RunSpec): Exhaustive {
  return combine([explorePart(scope, `${scope.phones} phones together`, spec)], undefined, spec.counterexamples);
}

/**
 * Per-phone decomposition (README "Per-phone decomposition"). Phones never change the cluster or each
 * other: a cluster event acts on each phone alone (its boot reads the cluster and that phone), a phone
 * event on that phone alone, and which events are enabled depends on the cluster and the phone named.
 * So the projection of every run of the scope onto (cluster, phone i) is a run of the scope with phone i
 * alone, and every run of that scope is such a projection (the other phones are never plugged in).
 * Every property checked reads one phone at a time (recovery asks per phone, noUnverifiedItl compares
 * one phone's ITLs, holdTimer and regenerationsKeepTrust read the cluster or any one phone). Hence: a
 * property holds in every reachable state of the scope iff it holds in every reachable state of each
 * one-phone scope, and phones of the same configuration share one. Exact, not an approximation. Pure.
 */
export function exhaustivePerPhone(scope: SpecScope, spec: RunSpec): Exhaustive {
  return combine(
    phoneParts(scope).map(({ scope: one, label }) => explorePart(one, label, spec)),
    undefined,
    spec.counterexamples,
  );
}

/** The parts of the decomposition: one one-phone scope per distinct phone configuration, with its label. Pure. */
export function phoneParts(scope: SpecScope): Array<{ scope: SpecScope; label: string }> {
  const configs = [...new Map(scope.configs.map((c) => [JSON.stringify(c), c])).values()];
  return configs.map((config) => ({
    scope: { ...scope, phones: 1, configs: [config] },
    label: `phone tftp=${nodeName(config.tftp)} tvs=[${config.tvs.map(nodeName).join(',')}]`,
  }));
}

/** The properties expected to hold that the exhaustive runs check, grouped by the alphabet each speaks of (undefined: every event). */
export function exhaustiveGroups(): Array<{ alphabet: Alphabet | undefined; properties: Property[] }> {
  const groups = new Map<Alphabet | undefined, Property[]>();
  for (const p of PROPERTIES.filter((x) => x.abstract && x.expectedToHold))
    groups.set(p.alphabet, [...(groups.get(p.alphabet) ?? []), p]);
  return [...groups].map(([alphabet, properties]) => ({ alphabet, properties }));
}
