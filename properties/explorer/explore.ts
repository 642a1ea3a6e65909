/**
 * The exhaustive explorer: breadth-first search with state hashing over the spec (properties/spec/),
 * one canonical representative per distinct state (canonical.ts), keys kept in a compact hash set
 * (stateSet.ts).
 */
import { explorerCoverage, type Coverage } from '../coverage.ts';
import type { Property } from '../registry.ts';
import { actionOf } from '../spec/actions.ts';
import { RULE_MASKS } from '../spec/effects.ts';
import { allEvents, eventLabel, type Alphabet, type SpecEvent } from '../spec/events.ts';
import type { SpecRefusalKind } from '../spec/refusals.ts';
import type { SpecScope } from '../spec/scope.ts';
import { initialState, type SpecState } from '../spec/state.ts';
import { acceptedStep } from '../spec/step.ts';
import { representative, symmetryGroups } from './canonical.ts';
import { canonicalCodes, type KeyCodes } from './canonicalCodes.ts';
import { StateSet } from './stateSet.ts';

/** One explorer run's scope and what it checks (registry properties with an abstract check). */
export interface CheckRun {
  scope: SpecScope;
  alphabet?: Alphabet;
  properties: readonly Property[];
  maxDepth: number;
  /** Up to this many distinct shortest counterexamples per property (distinct violating states); default 1. */
  counterexamples?: number;
  onProgress?: (depth: number, distinct: number, explored: number) => void;
  /** Called with the representative of every distinct state, the initial one included (tests of the decomposition). */
  onState?: (rep: SpecState) => void;
}

/** The outcome of a breadth-first run. */
export interface CheckResult {
  statesExplored: number;
  distinctStates: number;
  depth: number;
  /** True when the frontier emptied: every reachable state of the scope was visited. */
  complete: boolean;
  seconds: number;
  /** Per property (by reference): up to `counterexamples` violations, shortest first: why, the trace to it, and the events that show it (state properties). */
  violations: Map<Property, AbstractViolation[]>;
  coverage: Coverage;
}

/** One violation found by the explorer. */
export interface AbstractViolation {
  reason: string;
  trace: SpecEvent[];
  witness: SpecEvent[];
}

/**
 * Exhaustive breadth-first exploration with state hashing over the spec (canonical.ts): the first
 * violations of a property are found at the least depth, so their traces are shortest
 * counterexamples. Every transition is tallied for the coverage report, refused commands included
 * (they change nothing, so they are counted and not taken).
 */
export function explore(run: CheckRun): CheckResult {
  const start = performance.now();
  const { scope } = run;
  const wanted = run.counterexamples ?? 1;
  const groups = symmetryGroups(scope);
  const events = allEvents(scope, run.alphabet);
  // Each event's action, looked up once: the loop below calls its enabling condition, refusal and effect.
  const actions = events.map(actionOf);
  const labels = events.map(eventLabel);
  const eventCounts = new Float64Array(events.length);
  const ruleCounts = new Float64Array(RULE_MASKS);
  const refusals = new Map<SpecRefusalKind, number>();
  const parents: number[] = [-1];
  const via: number[] = [-1];
  const codes: KeyCodes = { data: new Uint16Array(64), length: 0 };
  const seen = new StateSet();
  const initial = initialState(scope);
  canonicalCodes(initial, groups, scope, codes);
  seen.add(codes);
  const first = representative(initial);
  run.onState?.(first);
  // The frontier as parallel arrays: state ids and representatives.
  let frontierIds: number[] = [0];
  let frontier: SpecState[] = [first];
  const violations: CheckResult['violations'] = new Map();
  const traceTo = (id: number, last?: number) => {
    const out: SpecEvent[] = last === undefined ? [] : [events[last]!];
    for (let x = id; x > 0; x = parents[x]!) out.unshift(events[via[x]!]!);
    return out;
  };
  // Only properties with fewer than `wanted` violations are evaluated; a step violation counts once per target state.
  let stepProps = run.properties.filter((p) => p.abstract?.step);
  let stateProps = run.properties.filter((p) => p.abstract?.state);
  const report = (p: Property, reason: string, trace: SpecEvent[], state?: SpecState) => {
    const list = violations.get(p) ?? [];
    list.push({ reason, trace, witness: state && p.abstract!.witness ? p.abstract!.witness(state, scope) : [] });
    violations.set(p, list);
    if (list.length < wanted) return;
    stepProps = stepProps.filter((q) => q !== p);
    stateProps = stateProps.filter((q) => q !== p);
  };
  for (const p of stateProps) {
    const r = p.abstract!.state!(first, scope);
    if (r) report(p, r, [], first);
  }
  let explored = 0;
  let depth = 0;
  while (frontier.length > 0 && depth < run.maxDepth) {
    const nextIds: number[] = [];
    const next: SpecState[] = [];
    for (let f = 0; f < frontier.length; f++) {
      const id = frontierIds[f]!;
      const s = frontier[f]!;
      for (let k = 0; k < events.length; k++) {
        const e = events[k]!;
        const action = actions[k]!;
        if (!action.enabled(s, e)) continue;
        const refused = action.refusal ? action.refusal(s, scope, e) : null;
        if (refused !== null) {
          refusals.set(refused, (refusals.get(refused) ?? 0) + 1);
          continue;
        }
        const step = acceptedStep(s, scope, e);
        explored++;
        eventCounts[k]! += 1;
        ruleCounts[step.rules]! += 1;
        const fresh = (canonicalCodes(step.state, groups, scope, codes), seen.add(codes));
        for (const p of stepProps) {
          // A second counterexample must reach a new state: the same state by another path is not distinct.
          if (violations.has(p) && !fresh) continue;
          const r = p.abstract!.step!(s, e, step, scope);
          if (r) report(p, r, traceTo(id, k));
        }
        // Only a state not seen before needs its representative.
        if (!fresh) continue;
        const rep = representative(step.state);
        run.onState?.(rep);
        const child = parents.length;
        parents.push(id);
        via.push(k);
        for (const p of stateProps) {
          const r = p.abstract!.state!(rep, scope);
          if (r) report(p, r, traceTo(child), rep);
        }
        nextIds.push(child);
        next.push(rep);
      }
    }
    if (next.length > 0) depth++;
    frontierIds = nextIds;
    frontier = next;
    run.onProgress?.(depth, seen.size, explored);
  }
  const coverage = explorerCoverage(labels, eventCounts, ruleCounts, refusals);
  return {
    statesExplored: explored,
    distinctStates: seen.size,
    depth,
    complete: frontier.length === 0,
    seconds: (performance.now() - start) / 1000,
    violations,
    coverage,
  };
}
