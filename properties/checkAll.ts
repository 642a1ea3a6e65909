import type { LogEvent } from '../model/events.ts';
import { addCoverage, emptyCoverage, type Coverage } from './coverage.ts';
import { explain, type Explanation } from './explain.ts';
import {
  exhaustiveGroups,
  exhaustivePerPhone,
  exhaustiveProduct,
  type Exhaustive,
  type Progress,
  type RunSpec,
} from './explorer/checkRuns.ts';
import { exhaustivePerPhoneParallel } from './explorer/parallel.ts';
import { randomized } from './randomized.ts';
import { PROPERTIES, replayOptionsOf, type Property, type Weakness } from './registry.ts';
import type { Alphabet } from './spec/events.ts';
import { scopeOf } from './spec/scope.ts';
import { exploreWeaknesses } from './weaknesses.ts';

/** What `check` runs: the scope, the bounds, the seed of the random runs. */
export interface CheckSettings {
  nodes: number;
  phones: number;
  depth: number;
  runs: number;
  seed: number;
  /** Explore all phones together instead of per phone configuration. */
  product: boolean;
  /** Up to this many distinct shortest counterexamples per expected failure. */
  counterexamples: number;
  /** The scope of the known weaknesses' searches (nodes, phones, depth). */
  weaknessScope: { nodes: number; phones: number; depth: number };
  onProgress?: Progress;
  /** Called when an exhaustive part or run finishes (for progress lines without a terminal). */
  onPart?: (what: string, result: Exhaustive['parts'][number]) => void;
}

/** How a verdict was reached. */
export type CheckedBy =
  | { kind: 'exhaustive'; scope: string; complete: boolean; depth: number; alphabet: 'all' | 'own' }
  | { kind: 'weakness'; scope: string }
  | { kind: 'randomized'; runs: number; seed: number };

/** A counterexample as a replayable log, the model options it needs, and what it shows. */
export interface Counterexample {
  log: LogEvent[];
  /** The `replay` switches it needs: `{ holdTimer: false }` for `--no-hold-timer`, else `{}`. */
  options: { holdTimer?: false };
  reason: string;
  explanation?: Explanation;
}

/** One line of the verdict table: a property (or a known weakness of one). */
export interface Verdict {
  name: string;
  property: Property;
  weakness?: Weakness;
  holds: boolean;
  expectedToHold: boolean;
  checkedBy: CheckedBy[];
  counterexamples: Counterexample[];
}

/** Everything `check` found. */
export interface CheckReport {
  settings: Omit<CheckSettings, 'onProgress' | 'onPart'>;
  /** The main exhaustive run over every event; the runs over the properties' own alphabets. */
  main: Exhaustive;
  others: Array<{ alphabet: Alphabet; properties: Property[]; result: Exhaustive }>;
  verdicts: Verdict[];
  /** Exhaustive: every exhaustive run summed (the main run, the own-alphabet runs, the weaknesses' scopes); randomized: the random logs. */
  coverage: { exhaustive: Coverage; randomized: Coverage };
}

function counterexample(
  log: LogEvent[],
  reason: string,
  property: Property,
  options: Counterexample['options'],
): Counterexample {
  const explanation = explain(log, property, options);
  return { log, options, reason, ...(explanation ? { explanation } : {}) };
}

/**
 * `check`: every property expected to hold explored exhaustively (over its own alphabet where it has
 * one) and on random logs with real crypto; every known weakness searched in its own scope for its
 * shortest counterexamples, each with the options it needs and an explanation.
 */
export async function runCheck(settings: CheckSettings): Promise<CheckReport> {
  const { onProgress, onPart, ...plain } = settings;
  const scope = scopeOf(settings.nodes, settings.phones);
  const where = `${settings.nodes} nodes, ${settings.phones} phone${settings.phones === 1 ? '' : 's'}`;
  const runs: Array<{ alphabet: Alphabet | undefined; properties: Property[]; result: Exhaustive }> = [];
  for (const group of exhaustiveGroups()) {
    const spec: RunSpec = {
      properties: group.properties,
      maxDepth: settings.depth,
      ...(group.alphabet ? { alphabet: group.alphabet } : {}),
      ...(onProgress ? { onProgress } : {}),
    };
    const result = settings.product
      ? exhaustiveProduct(scope, spec)
      : group.alphabet
        ? exhaustivePerPhone(scope, spec)
        : await exhaustivePerPhoneParallel(scope, spec);
    for (const part of result.parts)
      onPart?.(
        group.alphabet ? `${group.properties.map((p) => p.name).join(', ')} (own alphabet)` : 'every event',
        part,
      );
    runs.push({ ...group, result });
  }
  const main = runs.find((r) => !r.alphabet)!.result;
  const random = randomized(settings.runs, settings.seed);
  const verdicts: Verdict[] = PROPERTIES.filter((p) => p.expectedToHold).map((property) => {
    const run = runs.find((r) => r.properties.includes(property));
    const checkedBy: CheckedBy[] = [];
    if (run)
      checkedBy.push({
        kind: 'exhaustive',
        scope: where,
        complete: run.result.complete,
        depth: run.result.depth,
        alphabet: run.alphabet ? 'own' : 'all',
      });
    checkedBy.push({ kind: 'randomized', runs: settings.runs, seed: settings.seed });
    const abstract = run?.result.violations.get(property)?.[0];
    const log = abstract?.counterexample ?? random.found.get(property);
    const counterexamples = log ? [counterexample(log, abstract?.reason ?? 'found on a random log', property, {})] : [];
    return { name: property.name, property, holds: !log, expectedToHold: true, checkedBy, counterexamples };
  });
  const w = settings.weaknessScope;
  const exhaustiveCoverage = emptyCoverage();
  for (const r of runs) addCoverage(exhaustiveCoverage, r.result.coverage);
  for (const found of exploreWeaknesses(w.nodes, w.phones, w.depth, settings.counterexamples)) {
    addCoverage(exhaustiveCoverage, found.coverage);
    const options = replayOptionsOf(found.weakness);
    verdicts.push({
      name: `${found.weakness.property.name}[${found.weakness.id}]`,
      property: found.weakness.property,
      weakness: found.weakness,
      holds: found.found.length === 0,
      expectedToHold: false,
      checkedBy: [{ kind: 'weakness', scope: found.scope }],
      counterexamples: found.found.map((f) =>
        counterexample(f.counterexample, f.reason, found.weakness.property, options),
      ),
    });
  }
  const others = runs.filter((r): r is (typeof runs)[number] & { alphabet: Alphabet } => r.alphabet !== undefined);
  return {
    settings: plain,
    main,
    others,
    verdicts,
    coverage: { exhaustive: exhaustiveCoverage, randomized: random.coverage },
  };
}
