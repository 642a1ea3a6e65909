import type { LogEvent } from '../model/events.ts';
import { installEvent, toLogEvent } from './concretize.ts';
import { canonical, symmetryGroups } from './explorer/canonical.ts';
import { AUTO_RESTART_SECONDS, HOLD_SECONDS } from './spec/constants.ts';
import type { SpecEvent } from './spec/events.ts';
import { runningTimers } from './spec/effects.ts';
import type { SpecScope } from './spec/scope.ts';
import { initialState } from './spec/state.ts';
import { specStep } from './spec/step.ts';

/** The first event comes a minute after the install line; later ones at least a second apart. */
const FIRST_GAP = 60;

/** A difference constraint x[v] - x[u] <= w over event times in seconds. */
type Constraint = [u: number, v: number, w: number];

/**
 * Event times for constraints, or null when none exist: Bellman-Ford from a virtual source, which
 * gives the latest times <= 0, so events sit as close together as the timers allow. Pure.
 */
function solve(count: number, constraints: Constraint[]): number[] | null {
  const x = new Array<number>(count).fill(0);
  for (let round = 0; round <= count; round++) {
    let changed = false;
    for (const [u, v, w] of constraints) {
      if (x[u]! + w < x[v]!) {
        x[v] = x[u]! + w;
        changed = true;
      }
    }
    if (!changed) return x.map((t) => t - x[0]!);
  }
  return null;
}

/**
 * Turns an abstract trace into a log `replay` accepts. Phone indices are mapped through the
 * symmetry permutation of each state. Times are solved, not guessed: `wait` says the oldest hold
 * timer expires between two events, `back` that the earliest automatic restart ends between two
 * events (A14), and every timer still running at an event has not expired yet; these are
 * difference constraints on the event times, solved exactly. Pure; throws if the trace has no
 * schedule (it would mean the time abstraction admits a run the timed model cannot make).
 */
export function concretize(scope: SpecScope, trace: SpecEvent[]): LogEvent[] {
  const groups = symmetryGroups(scope);
  let s = initialState(scope);
  let perm = canonical(s, groups, scope).perm;
  const real: SpecEvent[] = [];
  const constraints: Constraint[] = [];
  const holdStart: Array<number | null> = s.nodes.map(() => null);
  const resetStart: Array<number | null> = s.phones.map(() => null);
  // Deadlines passed since the last real event: the next one is at or after each of them.
  let passed: Array<{ start: number; seconds: number }> = [];
  for (const abstract of trace) {
    const e: SpecEvent = 'phone' in abstract ? { ...abstract, phone: perm[abstract.phone]! } : abstract;
    const last = real.length;
    if (e.kind === 'wait') {
      const n = s.nodes.findIndex((x) => x.holdRank === 1);
      constraints.push([holdStart[n]!, last, HOLD_SECONDS - 1]);
      passed.push({ start: holdStart[n]!, seconds: HOLD_SECONDS });
      holdStart[n] = null;
    } else if (e.kind === 'back') {
      const first = Math.min(...s.phones.map((p) => p.restartRank || Infinity));
      const start = resetStart[s.phones.findIndex((p) => p.restartRank === first)]!;
      constraints.push([start, last, AUTO_RESTART_SECONDS - 1]);
      passed.push({ start, seconds: AUTO_RESTART_SECONDS });
    } else {
      real.push(e);
      const index = real.length;
      constraints.push([index, index - 1, index === 1 ? -FIRST_GAP : -1]);
      for (const p of passed) constraints.push([index, p.start, -p.seconds]);
      passed = [];
    }
    const before = s;
    s = specStep(s, scope, e).state;
    if (e.kind !== 'wait' && e.kind !== 'back') {
      const top = runningTimers(before);
      s.nodes.forEach((node, n) => node.holdRank > top && (holdStart[n] = real.length));
      s.phones.forEach((p, i) => p.restartRank && !before.phones[i]!.restartRank && (resetStart[i] = real.length));
    }
    // A timer stopped otherwise (a rebuilt publisher) and a phone booted otherwise constrain nothing more.
    s.nodes.forEach((node, n) => !node.holdRank && (holdStart[n] = null));
    s.phones.forEach((p, i) => !p.restartRank && (resetStart[i] = null));
    perm = canonical(s, groups, scope).perm;
  }
  // Timers still running at the end have not expired at the last event.
  holdStart.forEach((start) => start !== null && constraints.push([start, real.length, HOLD_SECONDS - 1]));
  resetStart.forEach((start) => start !== null && constraints.push([start, real.length, AUTO_RESTART_SECONDS - 1]));
  const times = solve(real.length + 1, constraints);
  if (!times) throw new Error(`bug: no schedule for the abstract trace ${JSON.stringify(trace)}`);
  const install = installEvent(scope);
  const base = Date.parse(install.at);
  const events: LogEvent[] = [install];
  let passwords = 0;
  real.forEach((e, i) => {
    const event = toLogEvent(scope, e, new Date(base + times[i + 1]! * 1000).toISOString(), passwords);
    if (e.kind === 'password' || e.kind === 'domain') passwords += 1;
    if (event) events.push(event);
  });
  return events;
}
