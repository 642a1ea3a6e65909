/** How often runs met each event, rule and refusal: the coverage report of `check` (TLC's action coverage). */
import type { SpecRefusalKind } from './spec/refusals.ts';
import type { SpecRule } from './spec/state.ts';

/** How often a run met each event kind (by label), each rule a boot ended on, and each refusal. */
export interface Coverage {
  events: Map<string, number>;
  rules: Record<SpecRule, number>;
  refusals: Map<SpecRefusalKind, number>;
}

/** An empty coverage tally. Pure. */
export function emptyCoverage(): Coverage {
  return { events: new Map(), rules: { R0: 0, R0e: 0, R2: 0, R3: 0, R4: 0, I1: 0, I2: 0, I3: 0 }, refusals: new Map() };
}

/** Adds one coverage tally into another. Mutates `into`. */
export function addCoverage(into: Coverage, from: Coverage): void {
  for (const [k, v] of from.events) into.events.set(k, (into.events.get(k) ?? 0) + v);
  for (const r of Object.keys(into.rules) as SpecRule[]) into.rules[r] += from.rules[r];
  for (const [k, v] of from.refusals) into.refusals.set(k, (into.refusals.get(k) ?? 0) + v);
}
