/**
 * The packed explorer: the same breadth-first search as properties/explorer/explore.ts, over the
 * same spec step (properties/spec/step.ts: the rules live in one place) and the same canonical form
 * (canonicalCodes.ts `canonicalCodes`, which allocates nothing; `phonesOnlyCodes` for a successor by an
 * action that changes only the phones), with the states kept packed (packedStates.ts): a state is
 * its stored key (clusterMemo.ts: its cluster's id, then its phones' canonical codes), packed, in one
 * arena, found again through an open-addressing table; a breadth-first level is a range of state
 * ids; a state being expanded is decoded from its canonical key (codec.ts) and dropped after. A
 * successor by an action that is not phones-only has its cluster found by the cluster memo, and one
 * by an action that is `clusterOnly` (spec/action.ts) is keyed from the memo without its step being
 * built (nor the step checks run on it, which such a step passes: spec/invariants.ts). No object
 * per stored state, and a memory budget (store and clusters together) that stops the run with "out of
 * budget" instead of growing without bound.
 */
import { explorerCoverage } from '../coverage.ts';
import { symmetryGroups } from '../explorer/canonical.ts';
import { canonicalCodes, phonesOnlyCodes, type KeyCodes } from '../explorer/canonicalCodes.ts';
import type { AbstractViolation, CheckResult, CheckRun } from '../explorer/explore.ts';
import type { Property } from '../registry.ts';
import type { Action } from '../spec/action.ts';
import { actionOf } from '../spec/actions.ts';
import { RULE_MASKS, type SpecStep } from '../spec/effects.ts';
import { allEvents, eventLabel, type EventKind, type SpecEvent } from '../spec/events.ts';
import type { SpecRefusalKind } from '../spec/refusals.ts';
import type { SpecScope } from '../spec/scope.ts';
import { cloneState, initialState, type SpecState } from '../spec/state.ts';
import { acceptedStepInto, blankStep } from '../spec/step.ts';
import { CLUSTER_CODES, ClusterMemo, NO_ENTRY, NO_ROOM, SELF } from './clusterMemo.ts';
import { decodedEnd, decodeRepresentative } from './codec.ts';
import { ADDED, FULL, PackedStates, SEEN } from './packedStates.ts';

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
  /** The bytes the state store and the cluster memo took at the end (their peak: they only grow). */
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
  const codes: KeyCodes<Uint8Array> = { data: new Uint8Array(64), length: 0 };
  // The store and the clusters share the budget.
  const budget = run.budgetBytes ?? DEFAULT_BUDGET_BYTES;
  const store: PackedStates = new PackedStates(
    budget,
    (): number => memo.bytes(),
    (): boolean => memo.releaseEntries(),
  );
  const memo: ClusterMemo = new ClusterMemo(
    scope,
    actions.map((a) => a.phonesOnly === true),
    budget,
    (): number => store.storeBytes(),
  );
  // A state's canonical key, rebuilt from its stored key (clusterMemo.ts: its cluster's id, then its phones' codes).
  let canonical = new Uint8Array(0);
  let clusterEnd = 0;
  const decodeKey = (key: Uint8Array) => {
    if (canonical.length < memo.longestCluster() + key.length)
      canonical = new Uint8Array(memo.longestCluster() + 2 * key.length);
    clusterEnd = memo.canonical(key, key.length, canonical);
    return decodeRepresentative(canonical, 0, scope);
  };
  const decode = (id: number) => decodeKey(store.key(id));
  const initial = initialState(scope);
  canonicalCodes(initial, groups, scope, codes);
  if (memo.stored(initial, codes) < 0 || store.add(codes.data, codes.length, -1, 0) === FULL)
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
  const batch = new Successors(scope, groups, events, actions, store, memo, first);
  const { steps: batchSteps, events: batchEvents, self: batchSelf, quiet: batchQuiet } = batch;
  search: while (levelStart < levelEnd && depth < run.maxDepth) {
    for (let id = levelStart; id < levelEnd; id++) {
      const key = store.key(id);
      const s = decodeKey(key);
      const rows = batch.stage(id, s, key, memo.clusterOf(key), decodedEnd() - clusterEnd + CLUSTER_CODES);
      if (rows < 0) {
        outOfBudget = true;
        break search;
      }
      store.prefetch(batch.staged);
      let staged = 0;
      for (let row = 0; row < rows; row++) {
        const k = batchEvents[row]!;
        const step = batchSteps[row]!;
        const added = batchSelf[row] ? SEEN : store.commit(staged++, id, k);
        if (added === FULL) {
          outOfBudget = true;
          break search;
        }
        explored++;
        eventCounts[k]! += 1;
        const fresh = added === ADDED;
        // A step that changes no phone and raises nothing passes every step check (spec/invariants.ts).
        if (batchQuiet[row]) ruleCounts[0]! += 1;
        else {
          ruleCounts[step.rules]! += 1;
          for (const p of stepProps) {
            if (violations.has(p) && !fresh) continue;
            const r = p.abstract!.step!(s, events[k]!, step, scope);
            if (r) report(p, r, traceTo(id, k));
          }
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
  const refusals = new Map(batch.refusalKinds.map((kind, i) => [kind, batch.refusalCounts[i]!]));
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
    storeBytes: store.storeBytes() + memo.bytes(),
  };
}

/**
 * The successors of the state being expanded, staged in the store in event order (a class of its
 * own, out of `packedExplore`, so that the engine inlines the step and the store's staging into its
 * loop). Each row's step is built in a scratch step of its own (the steps are read again when
 * added), but a quiet row's, which is not built. A successor whose key is the state's own (a
 * self-loop: about one transition in seven) is known to be there already: it takes no row of the
 * store's batch, and the table is not read for it.
 */
class Successors {
  /**
   * By row: the event's index, whether it is a self-loop, whether it was keyed without its step (an
   * action that is `clusterOnly`, keyed by the memo's `quietKeyOf`: its step is not built), the step.
   */
  readonly events: Uint16Array;
  readonly self: Uint8Array;
  readonly quiet: Uint8Array;
  readonly steps: SpecStep[];
  /** Rows staged in the store (the successors that are not self-loops). */
  staged = 0;
  /** Refusals by kind, in order of first use (a Map's get and set per refused command cost more). */
  readonly refusalKinds: SpecRefusalKind[] = [];
  readonly refusalCounts: number[] = [];
  private readonly codes: KeyCodes<Uint8Array> = { data: new Uint8Array(64), length: 0 };
  /** The stored key of the state being expanded, as bytes and as the same words (phonesOnlyCodes reads its cluster id, the memo its phones' codes). */
  private prefix = new Uint8Array(64);
  private prefixWords = new Uint32Array(this.prefix.buffer);

  constructor(
    private readonly scope: SpecScope,
    private readonly groups: number[][],
    private readonly all: SpecEvent[],
    private readonly actions: Action<EventKind>[],
    private readonly store: PackedStates,
    private readonly memo: ClusterMemo,
    like: SpecState,
  ) {
    this.events = new Uint16Array(all.length);
    this.self = new Uint8Array(all.length);
    this.quiet = new Uint8Array(all.length);
    this.steps = all.map(() => blankStep(cloneState(like)));
  }

  /**
   * Stages the successors of state `id` (`s`, decoded from its stored key key[0 .. end), of cluster
   * `cluster`) by the events it takes, counting the refused ones: how many, or -1 when a key would not
   * fit the budget. A successor by an action that changes only the phones is keyed with `s`'s cluster
   * id (phonesOnlyCodes), any other by the cluster memo (clusterMemo.ts): by one that changes only the
   * cluster, from the memo's entry without its step, when the memo has one (`quietKeyOf`).
   */
  stage(id: number, s: SpecState, key: Uint8Array, cluster: number, end: number): number {
    const { scope, groups, all, actions, store, codes } = this;
    if (this.prefix.length < end + 3) {
      // A multiple of 8 bytes: the key is read by 32-bit words too.
      this.prefix = new Uint8Array((2 * end + 15) & ~7);
      this.prefixWords = new Uint32Array(this.prefix.buffer);
    }
    const bytes = this.prefix;
    for (let x = 0; x < end; x++) bytes[x] = key[x]!;
    const prefix = this.prefixWords;
    const memo = this.memo;
    memo.enter(cluster, s, bytes, end);
    let rows = 0;
    let staged = 0;
    for (let k = 0; k < all.length; k++) {
      const e = all[k]!;
      const action = actions[k]!;
      if (!action.enabled(s, e)) continue;
      const refused = action.refusal ? action.refusal(s, scope, e) : null;
      if (refused !== null) {
        const at = this.refusalKinds.indexOf(refused);
        if (at >= 0) this.refusalCounts[at]! += 1;
        else this.refusalCounts[this.refusalKinds.push(refused) - 1] = 1;
        continue;
      }
      let self = false;
      const done = action.clusterOnly ? memo.quietKeyOf(k, groups, scope, codes) : NO_ENTRY;
      if (done !== NO_ENTRY) self = done === SELF;
      else {
        const step = acceptedStepInto(s, scope, e, action, this.steps[rows]!);
        if (action.phonesOnly) phonesOnlyCodes(step.state, groups, scope, prefix, CLUSTER_CODES, codes);
        else {
          const keyed = memo.keyOf(k, step.state, groups, scope, codes);
          if (keyed === NO_ROOM) return -1;
          self = keyed === SELF;
        }
      }
      this.quiet[rows] = done !== NO_ENTRY ? 1 : 0;
      if (!self) {
        if (!store.stage(staged, codes.data, codes.length)) return -1;
        // A self-loop's row is staged over by the next one.
        self = store.stagedIs(staged, id);
      }
      this.self[rows] = self ? 1 : 0;
      if (!self) staged++;
      this.events[rows++] = k;
    }
    this.staged = staged;
    return rows;
  }
}
