import fc from 'fast-check';
import type { LogEvent } from '../model/events.ts';
import { holdTimer, noForgedItl, noUnverifiedItl, recoveryForEveryPhone, recoveryWithItlRecovery, regenerationsKeepTrust, type AbstractProperty } from './abstractProperties.ts';
import { logArb } from './arbitraries.ts';
import { explore, type Alphabet } from './checker.ts';
import { nodeName } from './concretize.ts';
import { concretize } from './schedule.ts';
import { invariants, traceOf, violations } from './invariants.ts';
import { scopeOf, type RScope } from './referenceModel.ts';

/** A property's verdict as `check` reports it. */
export interface Verdict {
  name: string;
  holds: boolean;
  expectedToHold: boolean;
  /** How it was checked: the exhaustive runs (and their coverage) and the randomized runs that cover it. */
  checkedBy: string[];
  counterexample?: LogEvent[];
}

/** The known weaknesses (style.md convention 9): each a scope restricted to one cause, with the property it breaks. */
export const NECESSITY: Array<{ id: string; property: AbstractProperty; pre10?: boolean; holdTimer?: boolean; alphabet: Alphabet }> = [
  { id: 'a-pre10-itl', property: recoveryForEveryPhone, pre10: true, alphabet: new Set(['add', 'power', 'regen:CallManager', 'regen:TVS', 'wait', 'upgrade']) },
  { id: 'b-itlrecovery-regen-without-restart', property: recoveryForEveryPhone, alphabet: new Set(['add', 'power', 'regen:CallManager', 'regen:TVS', 'regen:ITLRecovery', 'wait']) },
  { id: 'c-rebuild-without-backup', property: recoveryForEveryPhone, alphabet: new Set(['add', 'power', 'rebuild', 'devicesReset']) },
  { id: 'd-hold-timer-off', property: { ...regenerationsKeepTrust, expectedToHold: false }, holdTimer: false, alphabet: new Set(['add', 'regen:CallManager', 'regen:TVS', 'wait', 'back']) },
  { id: 'e-trust-on-first-use', property: noForgedItl, alphabet: new Set(['add', 'forge']) },
];

/** The alphabet of `regenerationsKeepTrust`: phones plugged in, every `set cert regen`, time passing. */
export const REGEN_ONLY: Alphabet = new Set(['add', 'regen:CallManager', 'regen:TVS', 'regen:CAPF', 'regen:ITLRecovery', 'wait', 'back']);



/** The properties the exhaustive run checks over every event (each also in the registry of invariants.ts). */
export const EXHAUSTIVE: AbstractProperty[] = [recoveryWithItlRecovery, noUnverifiedItl, holdTimer];

/** Progress of a run: the part being explored (a phone configuration), its depth and counts. */
export type Progress = (part: string, depth: number, distinct: number, explored: number) => void;

/** An exhaustive run's outcome, with counterexamples already turned into logs. */
export interface Exhaustive {
  statesExplored: number;
  distinctStates: number;
  depth: number;
  complete: boolean;
  seconds: number;
  violations: Map<string, { reason: string; counterexample: LogEvent[] }>;
  /** One entry per explored part: the product, or each phone configuration of the decomposition. */
  parts: Array<{ part: string; distinctStates: number; statesExplored: number; depth: number; complete: boolean; seconds: number }>;
}

/** A run's properties and options. */
export interface RunSpec {
  properties: AbstractProperty[];
  maxDepth: number;
  alphabet?: Alphabet;
  onProgress?: Progress;
}

/** One explored part: its counts and its counterexamples as logs. */
export interface PartResult {
  part: Exhaustive['parts'][number];
  logs: Exhaustive['violations'];
}

/** Explores one part (a scope) and turns its violations into logs. Pure. */
export function explorePart(scope: RScope, part: string, spec: RunSpec): PartResult {
  const onProgress = spec.onProgress;
  const result = explore({ scope, properties: spec.properties, maxDepth: spec.maxDepth, ...(spec.alphabet ? { alphabet: spec.alphabet } : {}), ...(onProgress ? { onProgress: (d: number, distinct: number, explored: number) => onProgress(part, d, distinct, explored) } : {}) });
  const logs: Exhaustive['violations'] = new Map();
  for (const [name, v] of result.violations) logs.set(name, { reason: v.reason, counterexample: concretize(scope, [...v.trace, ...v.witness]) });
  const { distinctStates, statesExplored, depth, complete, seconds } = result;
  return { part: { part, distinctStates, statesExplored, depth, complete, seconds }, logs };
}

/** Sums the parts (in their order, so the result does not depend on which finished first); `seconds` defaults to the sum of theirs. Pure. */
export function combine(parts: PartResult[], seconds?: number): Exhaustive {
  const violations: Exhaustive['violations'] = new Map();
  for (const p of parts) for (const [name, v] of p.logs) if (!violations.has(name)) violations.set(name, v);
  const sum = (f: (x: Exhaustive['parts'][number]) => number) => parts.reduce((a, p) => a + f(p.part), 0);
  return {
    statesExplored: sum((x) => x.statesExplored),
    distinctStates: sum((x) => x.distinctStates),
    depth: Math.max(...parts.map((p) => p.part.depth)),
    complete: parts.every((p) => p.part.complete),
    seconds: seconds ?? sum((x) => x.seconds),
    violations,
    parts: parts.map((p) => p.part),
  };
}

/** The whole product of the scope explored as one state space (every phone in every state). */
export function exhaustiveProduct(scope: RScope, spec: RunSpec): Exhaustive {
  return combine([explorePart(scope, `${scope.phones} phones together`, spec)]);
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
export function exhaustivePerPhone(scope: RScope, spec: RunSpec): Exhaustive {
  return combine(phoneParts(scope).map(({ scope: one, label }) => explorePart(one, label, spec)));
}

/** The parts of the decomposition: one one-phone scope per distinct phone configuration, with its label. Pure. */
export function phoneParts(scope: RScope): Array<{ scope: RScope; label: string }> {
  const configs = [...new Map(scope.configs.map((c) => [JSON.stringify(c), c])).values()];
  return configs.map((config) => ({ scope: { ...scope, phones: 1, configs: [config] }, label: `phone tftp=${nodeName(config.tftp)} tvs=[${config.tvs.map(nodeName).join(',')}]` }));
}

/** Each known weakness explored in its own scope: the shortest counterexample, as a log. */
export function necessity(nodes: number, phones: number, maxDepth: number): Verdict[] {
  return NECESSITY.map((n) => {
    const scope = scopeOf(nodes, phones, { pre10: n.pre10 ?? false, holdTimer: n.holdTimer ?? true });
    const result = explore({ scope, alphabet: n.alphabet, properties: [n.property], maxDepth });
    const v = result.violations.get(n.property.name);
    return { name: `${n.property.name}[${n.id}]`, holds: !v, expectedToHold: false, checkedBy: [`exhaustive: shortest counterexample over the events of its cause, ${nodes} nodes, ${phones} phones`], ...(v ? { counterexample: concretize(scope, [...v.trace, ...v.witness]) } : {}) };
  });
}

/**
 * Randomized runs with real crypto: the invariants named (by default every registry invariant expected to
 * hold) after every prefix of `runs` random logs. A violated invariant is then searched again from the same
 * seed with fast-check's shrinking, so its counterexample is the shrunk log, cut after the violating event.
 */
export function randomized(runs: number, seed: number, names = invariants.filter((i) => i.expectedToHold).map((i) => i.name)): Map<string, LogEvent[]> {
  const found = new Map<string, LogEvent[]>();
  if (runs <= 0) return found;
  for (const log of fc.sample(logArb(10), { seed, numRuns: runs })) {
    for (const v of violations(traceOf(log.events), names.filter((n) => !found.has(n)))) found.set(v.name, log.events.slice(0, v.at + 1));
  }
  for (const name of found.keys()) {
    const first = (events: LogEvent[]) => violations(traceOf(events), [name])[0];
    const result = fc.check(fc.property(logArb(10), (log) => first(log.events) === undefined), { seed, numRuns: runs });
    const shrunk = result.counterexample?.[0].events;
    const at = shrunk && first(shrunk)?.at;
    if (shrunk && at !== undefined && at + 1 <= found.get(name)!.length) found.set(name, shrunk.slice(0, at + 1));
  }
  return found;
}
