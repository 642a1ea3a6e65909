/**
 * The packed explorer: the same breadth-first search as properties/explorer/explore.ts, over the
 * same spec step (properties/spec/step.ts: the rules live in one place) and the same canonical form
 * (canonical.ts `canonicalCodes`, which allocates nothing), with the states kept packed
 * (packedStates.ts): a state is its canonical key as bytes in one arena, found again through an
 * open-addressing table; a breadth-first level is a range of state ids; a state being expanded is
 * decoded from its bytes (codec.ts) and dropped after. No object per stored state, and a memory
 * budget that stops the run with "out of budget" instead of growing without bound.
 */
import { explorerCoverage } from '../coverage.ts';
import { canonicalCodes, symmetryGroups, type KeyCodes } from '../explorer/canonical.ts';
import type { AbstractViolation, CheckResult, CheckRun } from '../explorer/explore.ts';
import type { Property } from '../registry.ts';
import { actionOf } from '../spec/actions.ts';
import { RULE_MASKS, type SpecStep } from '../spec/effects.ts';
import { allEvents, eventLabel, type SpecEvent } from '../spec/events.ts';
import type { SpecRefusalKind } from '../spec/refusals.ts';
import { initialState, type SpecState } from '../spec/state.ts';
import { acceptedStep } from '../spec/step.ts';
import { decodeRepresentative } from './codec.ts';
import { ADDED, FULL, PackedStates } from './packedStates.ts';

/** The default memory budget of the packed store: 768 MiB, so that `check` stays under 1 GB with the rest of the process. */
export const DEFAULT_BUDGET_BYTES = 768 * 2 ** 20;

/** A packed run: an explorer run and the bytes its state store may take. */
export interface PackedRun extends CheckRun {
  /** Bytes the typed arrays of the state store may take in all (default DEFAULT_BUDGET_BYTES). */
  budgetBytes?: number;
}

/** A packed run's outcome: the explorer's, and whether it stopped at the budget. */
export interface PackedResult extends CheckResult {
  /** True when the run stopped because the next state would not fit the budget (then `complete` is false). */
  outOfBudget: boolean;
  /** The bytes the state store took at the end (its peak: it only grows). */
  storeBytes: number;
}

/**
 * Exhaustive breadth-first exploration with packed states: the same distinct states, transitions,
 * depth, coverage and shortest counterexamples as `explore` (packedEqualsExplorer.test.ts), within
 * a memory budget.
 */
export function packedExplore(run: PackedRun): PackedResult {
  const start = performance.now();
  const { scope } = run;
  const wanted = run.counterexamples ?? 1;
  const groups = symmetryGroups(scope);
  const events = allEvents(scope, run.alphabet);
  if (events.length > 0xffff) throw new RangeError('bug: more events than the packed store can name');
  const actions = events.map(actionOf);
  const labels = events.map(eventLabel);
  const eventCounts = new Float64Array(events.length);
  const ruleCounts = new Float64Array(RULE_MASKS);
  // Refusals by kind, in order of first use (a Map's get and set per refused command cost more).
  const refusalKinds: SpecRefusalKind[] = [];
  const refusalCounts: number[] = [];
  const codes: KeyCodes = { data: new Uint16Array(64), length: 0 };
  const store = new PackedStates(run.budgetBytes ?? DEFAULT_BUDGET_BYTES);
  const decode = (id: number) => decodeRepresentative(store.bytes, store.offset(id), scope);
  canonicalCodes(initialState(scope), groups, scope, codes);
  if (store.add(codes.data, codes.length, -1, 0) === FULL)
    throw new RangeError('the memory budget cannot hold one state');
  const first = decode(0);
  run.onState?.(first);
  const violations: CheckResult['violations'] = new Map();
  const traceTo = (id: number, last?: number) => {
    const out: SpecEvent[] = last === undefined ? [] : [events[last]!];
    for (let x = id; x > 0; x = store.parents[x]!) out.unshift(events[store.via[x]!]!);
    return out;
  };
  let stepProps = run.properties.filter((p) => p.abstract?.step);
  let stateProps = run.properties.filter((p) => p.abstract?.state);
  const report = (p: Property, reason: string, trace: SpecEvent[], state?: SpecState) => {
    const list: AbstractViolation[] = violations.get(p) ?? [];
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
  const onState = run.onState;
  let explored = 0;
  let depth = 0;
  let levelStart = 0;
  let levelEnd = 1;
  let outOfBudget = false;
  // The successors of one state are staged first and added after, in event order: the store reads
  // the table for all of them at once (PackedStates.prefetch).
  const batchEvents = new Uint16Array(events.length);
  const batchSteps: SpecStep[] = [];
  search: while (levelStart < levelEnd && depth < run.maxDepth) {
    for (let id = levelStart; id < levelEnd; id++) {
      const s = decode(id);
      let rows = 0;
      for (let k = 0; k < events.length; k++) {
        const e = events[k]!;
        const action = actions[k]!;
        if (!action.enabled(s, e)) continue;
        const refused = action.refusal ? action.refusal(s, scope, e) : null;
        if (refused !== null) {
          const at = refusalKinds.indexOf(refused);
          if (at >= 0) refusalCounts[at]! += 1;
          else refusalCounts[refusalKinds.push(refused) - 1] = 1;
          continue;
        }
        const step = acceptedStep(s, scope, e);
        canonicalCodes(step.state, groups, scope, codes);
        if (!store.stage(rows, codes.data, codes.length)) {
          outOfBudget = true;
          break search;
        }
        batchEvents[rows] = k;
        batchSteps[rows++] = step;
      }
      store.prefetch(rows);
      for (let row = 0; row < rows; row++) {
        const k = batchEvents[row]!;
        const step = batchSteps[row]!;
        const added = store.commit(row, id, k);
        if (added === FULL) {
          outOfBudget = true;
          break search;
        }
        explored++;
        eventCounts[k]! += 1;
        ruleCounts[step.rules]! += 1;
        const fresh = added === ADDED;
        for (const p of stepProps) {
          if (violations.has(p) && !fresh) continue;
          const r = p.abstract!.step!(s, events[k]!, step, scope);
          if (r) report(p, r, traceTo(id, k));
        }
        if (!fresh || (stateProps.length === 0 && !onState)) continue;
        const child = store.size - 1;
        const rep = decode(child);
        onState?.(rep);
        for (const p of stateProps) {
          const r = p.abstract!.state!(rep, scope);
          if (r) report(p, r, traceTo(child), rep);
        }
      }
    }
    if (store.size > levelEnd) depth++;
    levelStart = levelEnd;
    levelEnd = store.size;
    run.onProgress?.(depth, store.size, explored);
  }
  const refusals = new Map(refusalKinds.map((kind, i) => [kind, refusalCounts[i]!]));
  const coverage = explorerCoverage(labels, eventCounts, ruleCounts, refusals);
  return {
    statesExplored: explored,
    distinctStates: store.size,
    depth,
    complete: !outOfBudget && levelStart === levelEnd,
    seconds: (performance.now() - start) / 1000,
    violations,
    coverage,
    outOfBudget,
    storeBytes: store.storeBytes(),
  };
}
