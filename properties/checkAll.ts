import type { ModelOptions } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';
import { CHECK_SCOPES, scopeGroups, specScopeOf, type CheckScope } from './checkScopes.ts';
import { addCoverage, emptyCoverage, type Coverage } from './coverage.ts';
import { explain, type Explanation } from './explain.ts';
import {
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
import type { SpecScope } from './spec/scope.ts';
import { exploreWeaknesses, scopeWords } from './weaknesses.ts';

/** What `check` runs: the scopes, the bounds, the model options, the seed of the random runs. */
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
  /** Bytes the state stores of the exhaustive parts running at once may take (default 768 MiB). */
  budgetBytes?: number;
  /** The exhaustive scopes (default: CHECK_SCOPES, the 10.x, 12.5 non-secure, 12.5 mixed-mode and 11.5 mixed-mode scopes). */
  scopes?: readonly CheckScope[];
  /** The model switches (the command line's `--no-hold-timer`, `--conservative-tvs`, ...): the scopes and the random logs run under them. */
  options?: Partial<ModelOptions>;
  onProgress?: Progress;
  /** Called when an exhaustive part or run finishes (for progress lines without a terminal). */
  onPart?: (what: string, result: Exhaustive['parts'][number]) => void;
}

/** How a verdict was reached. */
export type CheckedBy =
  | {
      kind: 'exhaustive';
      scope: string;
      complete: boolean;
      depth: number;
      alphabet: 'all' | 'own';
      /** A part of the run stopped at the memory budget (then `complete` is false and `depth` is no bound). */
      outOfBudget: boolean;
    }
  | { kind: 'weakness'; scope: string; cause: string }
  | { kind: 'randomized'; runs: number; seed: number };

/** A counterexample as a replayable log, the model options it needs, and what it shows. */
export interface Counterexample {
  log: LogEvent[];
  /** The `replay` switches it needs (`{ holdTimer: false }` for `--no-hold-timer`, ...): `{}` when none. */
  options: Partial<ModelOptions>;
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

/** One exhaustive run: a check scope, the alphabet and properties of the run, and what it found. */
export interface ScopeRun {
  /** The check scope's name (`10.x`, `12.5 non-secure`, ...). */
  name: string;
  scope: SpecScope;
  /** The events of the run (absent: every event of the scope). */
  alphabet: Alphabet | undefined;
  /** The run speaks of the properties' own events (`regenerationsKeepTrust`). */
  own: boolean;
  properties: Property[];
  result: Exhaustive;
}

/** Everything `check` found. */
export interface CheckReport {
  settings: Omit<CheckSettings, 'onProgress' | 'onPart'>;
  /** The runs over each scope's events, in the order of the scopes; `main` sums them. */
  mains: ScopeRun[];
  main: Exhaustive;
  /** The runs over the properties' own alphabets. */
  others: ScopeRun[];
  verdicts: Verdict[];
  /**
   * Exhaustive: every exhaustive run summed (the scopes, the own-alphabet runs, the weaknesses'
   * scopes); per scope: each check scope's runs; randomized: the random logs.
   */
  coverage: {
    exhaustive: Coverage;
    scopes: Array<{ name: string; scope: SpecScope; coverage: Coverage }>;
    randomized: Coverage;
  };
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

/** Sums the runs of the scopes (their parts kept, named by scope). Pure. */
function sumRuns(runs: ScopeRun[]): Exhaustive {
  const coverage = emptyCoverage();
  for (const r of runs) addCoverage(coverage, r.result.coverage);
  return {
    statesExplored: runs.reduce((n, r) => n + r.result.statesExplored, 0),
    distinctStates: runs.reduce((n, r) => n + r.result.distinctStates, 0),
    depth: Math.max(0, ...runs.map((r) => r.result.depth)),
    complete: runs.every((r) => r.result.complete),
    seconds: runs.reduce((n, r) => n + r.result.seconds, 0),
    violations: new Map(),
    parts: runs.flatMap((r) => r.result.parts.map((p) => ({ ...p, part: `${r.name}: ${p.part}` }))),
    coverage,
  };
}

/**
 * `check`: every property expected to hold explored exhaustively in each scope whose release it
 * speaks of (over its own alphabet where it has one) and on random logs with real crypto; every
 * known weakness searched in its own scope for its shortest counterexamples, each with the options
 * it needs and an explanation. The scopes run one after the other, each on its worker threads.
 */
export async function runCheck(settings: CheckSettings): Promise<CheckReport> {
  const { onProgress, onPart, ...plain } = settings;
  const options = settings.options ?? {};
  const scopes = settings.scopes ?? CHECK_SCOPES;
  const runs: ScopeRun[] = [];
  for (const c of scopes) {
    const scope = specScopeOf(c, settings.nodes, settings.phones, options);
    for (const group of scopeGroups(c)) {
      const spec: RunSpec = {
        properties: group.properties,
        maxDepth: settings.depth,
        ...(settings.budgetBytes ? { budgetBytes: settings.budgetBytes } : {}),
        ...(group.alphabet ? { alphabet: group.alphabet } : {}),
        ...(onProgress ? { onProgress: (part, d, n, e) => onProgress(`${c.name}: ${part}`, d, n, e) } : {}),
      };
      const result = settings.product
        ? exhaustiveProduct(scope, spec)
        : group.own
          ? exhaustivePerPhone(scope, spec)
          : await exhaustivePerPhoneParallel(scope, spec);
      for (const part of result.parts)
        onPart?.(
          `${c.name}, ${group.own ? `${group.properties.map((p) => p.name).join(', ')} (own alphabet)` : c.alphabet ? 'its events' : 'every event'}`,
          part,
        );
      runs.push({
        name: c.name,
        scope,
        alphabet: group.alphabet,
        own: group.own,
        properties: group.properties,
        result,
      });
    }
  }
  const mains = runs.filter((r) => !r.own);
  const main = sumRuns(mains);
  const random = randomized(settings.runs, settings.seed, undefined, options);
  const verdicts: Verdict[] = PROPERTIES.filter((p) => p.expectedToHold).map((property) => {
    const checkedBy: CheckedBy[] = runs
      .filter((r) => r.properties.includes(property))
      .map((r) => ({
        kind: 'exhaustive',
        scope: `${scopeWords(r.scope)}${r.own || !r.alphabet ? '' : ' (its events)'}`,
        complete: r.result.complete,
        depth: r.result.depth,
        alphabet: r.own ? 'own' : 'all',
        outOfBudget: r.result.parts.some((p) => p.outOfBudget),
      }));
    checkedBy.push({ kind: 'randomized', runs: settings.runs, seed: settings.seed });
    const abstract = runs.map((r) => r.result.violations.get(property)?.[0]).find((v) => v);
    const log = abstract?.counterexample ?? random.found.get(property);
    const counterexamples = log
      ? [counterexample(log, abstract?.reason ?? 'found on a random log', property, options)]
      : [];
    return { name: property.name, property, holds: !log, expectedToHold: true, checkedBy, counterexamples };
  });
  const w = settings.weaknessScope;
  const exhaustiveCoverage = emptyCoverage();
  for (const r of runs) addCoverage(exhaustiveCoverage, r.result.coverage);
  for (const found of exploreWeaknesses(w.nodes, w.phones, w.depth, settings.counterexamples, options)) {
    addCoverage(exhaustiveCoverage, found.coverage);
    const replay = { ...options, ...replayOptionsOf(found.weakness) };
    verdicts.push({
      name: `${found.weakness.property.name}[${found.weakness.id}]`,
      property: found.weakness.property,
      weakness: found.weakness,
      holds: found.found.length === 0,
      expectedToHold: false,
      checkedBy: [{ kind: 'weakness', scope: found.scope, cause: found.weakness.cause }],
      counterexamples: found.found.map((f) =>
        counterexample(f.counterexample, f.reason, found.weakness.property, replay),
      ),
    });
  }
  const scopeCoverage = scopes.map((c) => {
    const coverage = emptyCoverage();
    for (const r of runs.filter((x) => x.name === c.name)) addCoverage(coverage, r.result.coverage);
    return { name: c.name, scope: specScopeOf(c, settings.nodes, settings.phones, options), coverage };
  });
  return {
    settings: plain,
    mains,
    main,
    others: runs.filter((r) => r.own),
    verdicts,
    coverage: { exhaustive: exhaustiveCoverage, scopes: scopeCoverage, randomized: random.coverage },
  };
}
