import type { LogEvent } from '../model/events.ts';
import type { AbstractProperty } from './abstractProperties.ts';
import { canonical, symmetryGroups } from './canonical.ts';
import { installEvent, toLogEvent } from './concretize.ts';
import { applyR, type RCert, type REvent } from './referenceEvents.ts';
import { initialState, type RScope, type RState } from './referenceModel.ts';

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
    for (const c of ['CallManager', 'TVS', 'CAPF', 'ITLRecovery'] as const) if (ok(`regen:${c}`) && (c !== 'CAPF' || n === 0)) out.push({ t: 'regen', n, c });
    for (const t of ['rename', 'tftpRestart', 'forge'] as const) if (ok(t)) out.push({ t, n });
  }
  if (ok('itlReset')) out.push({ t: 'itlReset', n: 0 });
  if (ok('backup')) out.push({ t: 'backup', n: 0 });
  for (const t of ['itlResetRemote', 'domain', 'upgrade', 'password', 'rebuild', 'devicesReset', 'wait'] as const) if (ok(t)) out.push({ t });
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
  if (e.t === 'wait') return s.nodes.some((n) => n.hold > 0);
  return true;
}

/** One checker run's scope and what it checks. */
export interface CheckRun {
  scope: RScope;
  alphabet?: Alphabet;
  properties: AbstractProperty[];
  maxDepth: number;
  onProgress?: (depth: number, distinct: number, explored: number) => void;
}

/** The outcome of a breadth-first run. */
export interface CheckResult {
  statesExplored: number;
  distinctStates: number;
  depth: number;
  /** True when the frontier emptied: every reachable state of the scope was visited. */
  complete: boolean;
  seconds: number;
  violations: Map<string, { reason: string; trace: REvent[] }>;
}

/**
 * Exhaustive breadth-first exploration with state hashing over the abstract model (canonical.ts):
 * the first violation of a property is found at the least depth, so its trace is a shortest counterexample.
 */
export function explore(run: CheckRun): CheckResult {
  const start = performance.now();
  const { scope } = run;
  const groups = symmetryGroups(scope);
  const events = allEvents(scope, run.alphabet);
  const parents: number[] = [-1];
  const via: number[] = [-1];
  const first = canonical(initialState(scope), groups, scope);
  const seen = new Map<string, number>([[first.key, 0]]);
  let frontier: Array<{ id: number; s: RState }> = [{ id: 0, s: first.rep }];
  const violations = new Map<string, { reason: string; trace: REvent[] }>();
  const traceTo = (id: number, last?: number) => {
    const out: REvent[] = last === undefined ? [] : [events[last]!];
    for (let x = id; x > 0; x = parents[x]!) out.unshift(events[via[x]!]!);
    return out;
  };
  const found = (name: string, reason: string, trace: REvent[]) => void (violations.has(name) || violations.set(name, { reason, trace }));
  for (const p of run.properties) {
    const r = p.state?.(first.rep, scope);
    if (r) found(p.name, r, []);
  }
  let explored = 0;
  let depth = 0;
  while (frontier.length > 0 && depth < run.maxDepth) {
    const next: typeof frontier = [];
    for (const { id, s } of frontier) {
      for (let k = 0; k < events.length; k++) {
        const e = events[k]!;
        if (!enabled(s, e)) continue;
        const step = applyR(s, scope, e);
        explored++;
        for (const p of run.properties) {
          const r = p.step && !violations.has(p.name) ? p.step(s, e, step, scope) : null;
          if (r) found(p.name, r, traceTo(id, k));
        }
        const c = canonical(step.state, groups, scope);
        if (seen.has(c.key)) continue;
        const child = parents.length;
        seen.set(c.key, child);
        parents.push(id);
        via.push(k);
        for (const p of run.properties) {
          const r = p.state && !violations.has(p.name) ? p.state(c.rep, scope) : null;
          if (r) found(p.name, r, traceTo(child));
        }
        next.push({ id: child, s: c.rep });
      }
    }
    if (next.length > 0) depth++;
    frontier = next;
    run.onProgress?.(depth, seen.size, explored);
  }
  return { statesExplored: explored, distinctStates: seen.size, depth, complete: frontier.length === 0, seconds: (performance.now() - start) / 1000, violations };
}

/**
 * Turns an abstract trace into a log `replay` accepts: phone indices are mapped through the
 * symmetry permutation of each state; events a second apart, and `wait` jumps to 300 s after the
 * oldest running timer started, so the timers run exactly as in the abstract state. Pure.
 */
export function concretize(scope: RScope, trace: REvent[]): LogEvent[] {
  const groups = symmetryGroups(scope);
  const events: LogEvent[] = [installEvent(scope)];
  let s = initialState(scope);
  let perm = canonical(s, groups, scope).perm;
  let time = Date.parse(events[0]!.at);
  const started: Array<number | null> = s.nodes.map(() => null);
  let passwords = 0;
  let step = 1000;
  for (const abstract of trace) {
    const e: REvent = 'p' in abstract ? { ...abstract, p: perm[abstract.p]! } : abstract;
    if (e.t === 'wait') {
      // The oldest timer expires exactly now; later ones started at least a second after it and still run.
      time = Math.max(time, started[s.nodes.findIndex((x) => x.hold === 1)]! + 300_000);
      step = 0;
    } else {
      time += step;
      step = 1000;
    }
    const before = s;
    s = applyR(s, scope, e).state;
    const event = toLogEvent(scope, e, new Date(time).toISOString(), passwords);
    if (e.t === 'password' || e.t === 'domain') passwords += 1;
    if (event) events.push(event);
    const top = before.nodes.reduce((m, x) => Math.max(m, x.hold), 0);
    s.nodes.forEach((node, n) => node.hold > top && (started[n] = time));
    perm = canonical(s, groups, scope).perm;
  }
  return events;
}
