import type { RefusalKind } from '../model/cluster/refusals.ts';
import { canonicalCodes, representative, symmetryGroups, type KeyCodes } from './canonical.ts';
import { applyR, refusalOf, RULE_BITS, type RCert, type REvent } from './referenceEvents.ts';
import { initialState, type RRule, type RScope, type RState } from './referenceModel.ts';
import type { Property } from './registry.ts';

/** Which event kinds a run may use (the necessity scopes restrict it to one cause). */
export type Alphabet = ReadonlySet<REvent['t'] | `regen:${RCert}`>;

/** Every abstract event of a scope in a fixed order (a state's successors are drawn from it). Pure. */
export function allEvents(scope: RScope, alphabet?: Alphabet): REvent[] {
  const ok = (t: string) => !alphabet || alphabet.has(t as never);
  const out: REvent[] = [];
  for (let p = 0; p < scope.phones; p++) {
    for (const t of ['add', 'reset', 'deleteItl'] as const) if (ok(t)) out.push({ t, p });
    if (ok('power')) out.push({ t: 'power', p, on: false }, { t: 'power', p, on: true });
    for (let n = 0; n < scope.nodes && ok('phoneTftp'); n++) out.push({ t: 'phoneTftp', p, n });
  }
  for (let n = 0; n < scope.nodes; n++) {
    // CAPF on a subscriber is refused (capfNotOnNode): taken only to count that refusal.
    for (const c of ['CallManager', 'TVS', 'CAPF', 'ITLRecovery'] as const)
      if (ok(`regen:${c}`)) out.push({ t: 'regen', n, c });
    for (const t of ['rename', 'tftpRestart', 'forge', 'corrupt'] as const) if (ok(t)) out.push({ t, n });
  }
  // On a subscriber both are refused (notPublisher, fileNotFound): taken only to count those refusals.
  for (let n = 0; n < scope.nodes; n++) if (ok('itlReset')) out.push({ t: 'itlReset', n });
  for (let n = 0; n < scope.nodes; n++) if (ok('backup')) out.push({ t: 'backup', n });
  for (const t of [
    'itlResetRemote',
    'domain',
    'upgrade',
    'password',
    'rebuild',
    'devicesReset',
    'wait',
    'back',
  ] as const)
    if (ok(t)) out.push({ t });
  return out;
}

/** Whether an event can be in a log at this state (phones referenced only once added; `wait` only while a timer runs). Pure. */
export function enabled(s: RState, e: REvent): boolean {
  if ('p' in e) {
    const phone = s.phones[e.p]!;
    if (e.t === 'add') return !phone.added;
    if (!phone.added) return false;
    if (e.t === 'power') return phone.online !== e.on;
    if (e.t === 'phoneTftp') return phone.pending !== e.n && !(phone.pending < 0 && phone.tftp === e.n);
    return true;
  }
  // A hold timer expires first only if it started before every automatic reset under way (they end 120 s after, A14).
  if (e.t === 'wait') return s.nodes.some((n) => n.hold > 0) && s.phones.every((p) => !p.back || p.before > 0);
  if (e.t === 'back') return s.phones.some((p) => p.back > 0);
  return true;
}

/**
 * Whether the explorer takes `e` at `s`: it is enabled and its command is not refused. A refused one
 * changes nothing (a self-loop: no new state, and no step property fires on it), and refused
 * regenerations alone are about 18% of all transitions; canonical.prop.test.ts checks that skipping
 * them is exact. Pure.
 */
export function expands(s: RState, scope: RScope, e: REvent): boolean {
  return enabled(s, e) && refusalOf(s, scope, e) === null;
}

/** The name of an abstract event for coverage: its kind, and the certificate of a regeneration. Pure. */
export function eventLabel(e: REvent): string {
  return e.t === 'regen' ? `regen:${e.c}` : e.t;
}

/** How often a run met each event kind, each rule a boot ended on, and each refusal. */
export interface Coverage {
  events: Map<string, number>;
  rules: Record<RRule, number>;
  refusals: Map<RefusalKind, number>;
}

/** An empty coverage tally. Pure. */
export function emptyCoverage(): Coverage {
  return { events: new Map(), rules: { R0: 0, R2: 0, R3: 0, R4: 0 }, refusals: new Map() };
}

/** Adds one coverage tally into another. Mutates `into`. */
export function addCoverage(into: Coverage, from: Coverage): void {
  for (const [k, v] of from.events) into.events.set(k, (into.events.get(k) ?? 0) + v);
  for (const r of Object.keys(into.rules) as RRule[]) into.rules[r] += from.rules[r];
  for (const [k, v] of from.refusals) into.refusals.set(k, (into.refusals.get(k) ?? 0) + v);
}

/** One checker run's scope and what it checks (registry properties with an abstract check). */
export interface CheckRun {
  scope: RScope;
  alphabet?: Alphabet;
  properties: readonly Property[];
  maxDepth: number;
  /** Up to this many distinct shortest counterexamples per property (distinct violating states); default 1. */
  counterexamples?: number;
  onProgress?: (depth: number, distinct: number, explored: number) => void;
  /** Called with the representative of every distinct state, the initial one included (tests of the decomposition). */
  onState?: (rep: RState) => void;
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
  trace: REvent[];
  witness: REvent[];
}

/** The canonical keys seen so far (state ids in insertion order): an open-addressing hash set over key codes. */
class StateSet {
  size = 0;
  /** slots[h] = 1 + id of the key in slot h, 0 when free (linear probing, at most half full). */
  private slots: Int32Array = new Int32Array(1 << 16);
  private hashes: Int32Array = new Int32Array(1 << 15);
  /** Key i is arena[starts[i] .. starts[i + 1]). */
  private starts: Int32Array = new Int32Array(1 << 15);
  private arena: Uint16Array = new Uint16Array(1 << 20);

  /** Adds the key; false when it was already there. */
  add(key: KeyCodes): boolean {
    const { data, length } = key;
    let h = 0x811c9dc5;
    for (let i = 0; i < length; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) break;
      if (this.hashes[entry - 1] === h && this.equals(entry - 1, data, length)) return false;
    }
    this.store(h, data, length);
    return true;
  }

  private equals(id: number, data: Uint16Array, length: number): boolean {
    const start = this.starts[id]!;
    if (this.starts[id + 1]! - start !== length) return false;
    for (let i = 0; i < length; i++) if (this.arena[start + i] !== data[i]) return false;
    return true;
  }

  private store(h: number, data: Uint16Array, length: number): void {
    const id = this.size++;
    if (this.size + 1 >= this.starts.length) {
      this.starts = grownInt32(this.starts, 2 * this.starts.length);
      this.hashes = grownInt32(this.hashes, this.starts.length);
    }
    const start = this.starts[id]!;
    if (start + length > this.arena.length) {
      const arena = new Uint16Array(2 * (start + length));
      arena.set(this.arena);
      this.arena = arena;
    }
    this.arena.set(data.subarray(0, length), start);
    this.starts[id + 1] = start + length;
    this.hashes[id] = h;
    if (2 * this.size > this.slots.length) this.rehash();
    else this.place(id);
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[id]! & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(2 * this.slots.length);
    for (let id = 0; id < this.size; id++) this.place(id);
  }
}

function grownInt32(a: Int32Array, length: number): Int32Array {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}

/**
 * Exhaustive breadth-first exploration with state hashing over the abstract model (canonical.ts):
 * the first violations of a property are found at the least depth, so their traces are shortest
 * counterexamples. Every transition is tallied for the coverage report, refused commands included
 * (they change nothing, so they are counted and not taken).
 */
export function explore(run: CheckRun): CheckResult {
  const start = performance.now();
  const { scope } = run;
  const wanted = run.counterexamples ?? 1;
  const groups = symmetryGroups(scope);
  const events = allEvents(scope, run.alphabet);
  const labels = events.map(eventLabel);
  const eventCounts = new Float64Array(events.length);
  const ruleCounts = new Float64Array(16);
  const refusals = new Map<RefusalKind, number>();
  const parents: number[] = [-1];
  const via: number[] = [-1];
  const codes: KeyCodes = { data: new Uint16Array(64), length: 0 };
  const seen = new StateSet();
  const initial = initialState(scope);
  canonicalCodes(initial, groups, scope, codes);
  seen.add(codes);
  const first = representative(initial, scope);
  run.onState?.(first);
  // The frontier as parallel arrays: state ids and representatives.
  let frontierIds: number[] = [0];
  let frontier: RState[] = [first];
  const violations: CheckResult['violations'] = new Map();
  const traceTo = (id: number, last?: number) => {
    const out: REvent[] = last === undefined ? [] : [events[last]!];
    for (let x = id; x > 0; x = parents[x]!) out.unshift(events[via[x]!]!);
    return out;
  };
  // Only properties with fewer than `wanted` violations are evaluated; a step violation counts once per target state.
  let stepProps = run.properties.filter((p) => p.abstract?.step);
  let stateProps = run.properties.filter((p) => p.abstract?.state);
  const report = (p: Property, reason: string, trace: REvent[], state?: RState) => {
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
    const next: RState[] = [];
    for (let f = 0; f < frontier.length; f++) {
      const id = frontierIds[f]!;
      const s = frontier[f]!;
      for (let k = 0; k < events.length; k++) {
        const e = events[k]!;
        if (!enabled(s, e)) continue;
        const refused = refusalOf(s, scope, e);
        if (refused !== null) {
          refusals.set(refused, (refusals.get(refused) ?? 0) + 1);
          continue;
        }
        const step = applyR(s, scope, e);
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
        const rep = representative(step.state, scope);
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
  const coverage = emptyCoverage();
  events.forEach(
    (_, k) =>
      eventCounts[k] && coverage.events.set(labels[k]!, (coverage.events.get(labels[k]!) ?? 0) + eventCounts[k]!),
  );
  for (const [rule, bit] of Object.entries(RULE_BITS) as [RRule, number][])
    for (let mask = 0; mask < 16; mask++) if (mask & bit) coverage.rules[rule] += ruleCounts[mask]!;
  coverage.refusals = refusals;
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
