/** How often runs met each event, rule and refusal: the coverage report of `check` (TLC's action coverage). */
import type { SpecRefusalKind } from './spec/refusals.ts';
import type { SpecScope } from './spec/scope.ts';
import { RULE_BITS, RULE_MASKS } from './spec/effects.ts';
import type { SpecCtlRule, SpecRule } from './spec/state.ts';

/** How often a run met each event kind (by label), each rule a boot's ITL or CTL step ended on, and each refusal. */
export interface Coverage {
  events: Map<string, number>;
  rules: Record<SpecRule | SpecCtlRule, number>;
  refusals: Map<SpecRefusalKind, number>;
}

/** An empty coverage tally. Pure. */
export function emptyCoverage(): Coverage {
  const rules = { R0: 0, R0e: 0, R2: 0, R3: 0, R4: 0, I1: 0, I2: 0, I3: 0, C0: 0, C1: 0, C2: 0, C3: 0 };
  return { events: new Map(), rules, refusals: new Map() };
}

/** Adds one coverage tally into another. Mutates `into`. */
export function addCoverage(into: Coverage, from: Coverage): void {
  for (const [k, v] of from.events) into.events.set(k, (into.events.get(k) ?? 0) + v);
  for (const r of Object.keys(into.rules) as Array<SpecRule | SpecCtlRule>) into.rules[r] += from.rules[r];
  for (const [k, v] of from.refusals) into.refusals.set(k, (into.refusals.get(k) ?? 0) + v);
}

/** The rules of the coverage report, in its order (R0e, the rollback ITL's, is not in the abstract model). */
export const COVERED_RULES = ['R0', 'R2', 'R3', 'R4', 'I1', 'I2', 'I3', 'C0', 'C1', 'C2', 'C3'] as const;

/**
 * Whether a rule can end a boot in a scope: the R rules in every scope (a mixed-mode scope starts
 * non-secure); the I and C rules in mixed mode only; I2 only with the shared pool of anchors (A18); C2
 * only where TVS may vouch for a CTL's signer: before 12.0, or with `ctlTvsRescueOwn` (A19). Pure.
 */
export function ruleApplies(rule: SpecRule | SpecCtlRule, scope: SpecScope): boolean {
  if (rule === 'R0e') return false;
  if (rule.startsWith('R')) return true;
  if (!scope.mixed) return false;
  if (rule === 'I2') return scope.sharedSastPool;
  if (rule === 'C2') return scope.pre12 || scope.ctlTvsRescueOwn;
  return true;
}

/**
 * An explorer's coverage from its counters: transitions per event label (`eventCounts[k]` for
 * `labels[k]`), per set of rules met (`ruleCounts[mask]`, a mask of RULE_BITS) and per refusal. Pure.
 */
export function explorerCoverage(
  labels: readonly string[],
  eventCounts: ArrayLike<number>,
  ruleCounts: ArrayLike<number>,
  refusals: Map<SpecRefusalKind, number>,
): Coverage {
  const coverage = emptyCoverage();
  labels.forEach(
    (label, k) => eventCounts[k] && coverage.events.set(label, (coverage.events.get(label) ?? 0) + eventCounts[k]!),
  );
  for (const [rule, bit] of Object.entries(RULE_BITS) as [SpecRule | SpecCtlRule, number][])
    for (let mask = 0; mask < RULE_MASKS; mask++) if (mask & bit) coverage.rules[rule] += ruleCounts[mask]!;
  coverage.refusals = refusals;
  return coverage;
}
