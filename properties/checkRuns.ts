import fc from 'fast-check';
import type { LogEvent } from '../model/events.ts';
import { holdTimer, noUnverifiedItl, recoveryForEveryPhone, recoveryWithItlRecovery, type AbstractProperty } from './abstractProperties.ts';
import { logArb } from './arbitraries.ts';
import { concretize, explore, type Alphabet, type CheckResult } from './checker.ts';
import { invariants, traceOf, violations } from './invariants.ts';
import { scopeOf, type RScope } from './referenceModel.ts';

/** A property's verdict as `check` reports it. */
export interface Verdict {
  name: string;
  holds: boolean;
  expectedToHold: boolean;
  counterexample?: LogEvent[];
}

/** The known weaknesses (style.md convention 9): each a scope restricted to one cause, with the property it breaks. */
export const NECESSITY: Array<{ id: string; property: AbstractProperty; pre10?: boolean; holdTimer?: boolean; alphabet: Alphabet }> = [
  { id: 'a-pre10-itl', property: recoveryForEveryPhone, pre10: true, alphabet: new Set(['add', 'power', 'regen:CallManager', 'regen:TVS', 'wait', 'upgrade']) },
  { id: 'b-itlrecovery-regen-without-restart', property: recoveryForEveryPhone, alphabet: new Set(['add', 'power', 'regen:CallManager', 'regen:TVS', 'regen:ITLRecovery', 'wait']) },
  { id: 'c-rebuild-without-backup', property: recoveryForEveryPhone, alphabet: new Set(['add', 'power', 'rebuild', 'devicesReset']) },
  { id: 'd-hold-timer-off', property: { ...holdTimer, expectedToHold: false }, holdTimer: false, alphabet: new Set(['add', 'regen:CallManager', 'regen:TVS', 'wait']) },
];

/** Exhaustive run of the properties expected to hold in a scope. */
export function exhaustive(scope: RScope, maxDepth: number, onProgress?: (depth: number, distinct: number, explored: number) => void): CheckResult {
  return explore({ scope, properties: [recoveryWithItlRecovery, noUnverifiedItl, holdTimer], maxDepth, ...(onProgress ? { onProgress } : {}) });
}

/** Each known weakness explored in its own scope: the shortest counterexample, as a log. */
export function necessity(nodes: number, phones: number, maxDepth: number): Verdict[] {
  return NECESSITY.map((n) => {
    const scope = scopeOf(nodes, phones, { pre10: n.pre10 ?? false, holdTimer: n.holdTimer ?? true });
    const result = explore({ scope, alphabet: n.alphabet, properties: [n.property], maxDepth });
    const v = result.violations.get(n.property.name);
    return { name: `${n.property.name}[${n.id}]`, holds: !v, expectedToHold: false, ...(v ? { counterexample: concretize(scope, v.trace) } : {}) };
  });
}

/** Randomized runs with real crypto: every registry invariant after every prefix of `runs` random logs. */
export function randomized(runs: number, seed: number): Map<string, LogEvent[]> {
  const found = new Map<string, LogEvent[]>();
  if (runs <= 0) return found;
  for (const log of fc.sample(logArb(10), { seed, numRuns: runs })) {
    for (const v of violations(traceOf(log.events), invariants.filter((i) => i.expectedToHold && !found.has(i.name)).map((i) => i.name))) found.set(v.name, log.events.slice(0, v.at + 1));
  }
  return found;
}
