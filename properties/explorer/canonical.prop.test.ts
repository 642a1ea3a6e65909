/**
 * The abstraction is exact step by step, as canonical.ts claims: along raw (never canonicalized) walks
 * of the reference model, every state's representative enables the same events, its successors have
 * the same canonical forms, every property gives the same verdict on it (state properties) and on
 * its transitions (step properties), canonicalizing it again changes nothing, and states with one key
 * have one representative. So exploring
 * representatives (explore.ts `explore`) visits exactly the canonical images of the raw reachable
 * states, and every property gets the same verdict there as on the raw states.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROPERTIES, type Property } from '../registry.ts';
import { seedFromEnv } from '../arbitraries.ts';
import { allEvents, type SpecEvent } from '../spec/events.ts';
import { scopeOf, type SpecScope } from '../spec/scope.ts';
import { initialState, type SpecState } from '../spec/state.ts';
import { enabled, refusalOf, specStep } from '../spec/step.ts';
import { canonical, canonicalKey, symmetryGroups } from './canonical.ts';

// Every property with an abstract check (a new one is covered as soon as it is registered).
const STATE_PROPERTIES: Property[] = PROPERTIES.filter((p) => p.abstract?.state);
const STEP_PROPERTIES: Property[] = PROPERTIES.filter((p) => p.abstract?.step);

/** What the walks covered: transitions compared, time events taken, states whose representative reorders phones, and each key's representative. */
interface Coverage {
  transitions: number;
  timed: number;
  permuted: number;
  reps: Map<string, string>;
}

/** Every check of the claim at raw state `s`; throws with the raw trace that reached it on the first disagreement. */
function checkState(scope: SpecScope, s: SpecState, trace: SpecEvent[], seen: Coverage): void {
  const groups = symmetryGroups(scope);
  const c = canonical(s, groups, scope);
  const rep = c.rep;
  const fail = (what: string): never => {
    throw new Error(`${what}\nraw trace: ${JSON.stringify(trace)}`);
  };
  // perm[i] = phone of s at the representative's position i, so phone p of s is inverse[p] in rep.
  const inverse: number[] = [];
  c.perm.forEach((p, i) => (inverse[p] = i));
  if (c.perm.some((p, i) => p !== i)) seen.permuted++;
  const mapped = (e: SpecEvent): SpecEvent => ('phone' in e ? { ...e, phone: inverse[e.phone]! } : e);
  if (canonical(rep, groups, scope).key !== c.key) fail('canonical(rep).key differs from the state key');
  // States with one key must share one representative: the explorer continues from whichever it met first.
  const json = JSON.stringify(rep);
  if ((seen.reps.get(c.key) ?? json) !== json)
    fail(`two states with one key have different representatives:\n${seen.reps.get(c.key)}\n${json}`);
  seen.reps.set(c.key, json);
  for (const p of STATE_PROPERTIES) {
    const [raw, abs] = [p.abstract!.state!(s, scope), p.abstract!.state!(rep, scope)];
    if ((raw === null) !== (abs === null)) fail(`${p.name}: state ${raw} vs representative ${abs}`);
  }
  for (const e of allEvents(scope)) {
    const e2 = mapped(e);
    const on = enabled(s, e);
    if (on !== enabled(rep, e2))
      fail(`enabled(${JSON.stringify(e)}) is ${on} on the state, ${!on} on the representative`);
    if (!on) continue;
    const [step, repStep] = [specStep(s, scope, e), specStep(rep, scope, e2)];
    // The explorer skips refused commands as self-loops: they must change nothing and fire no step property.
    if (
      refusalOf(s, scope, e) !== null &&
      (canonicalKey(step.state, groups, scope) !== c.key ||
        STEP_PROPERTIES.some((p) => p.abstract!.step!(s, e, step, scope)))
    )
      fail(`refused ${JSON.stringify(e)} is not a self-loop`);
    if (canonicalKey(step.state, groups, scope) !== canonicalKey(repStep.state, groups, scope))
      fail(`successors by ${JSON.stringify(e)} have different canonical forms`);
    for (const p of STEP_PROPERTIES) {
      const [raw, abs] = [p.abstract!.step!(s, e, step, scope), p.abstract!.step!(rep, e2, repStep, scope)];
      if ((raw === null) !== (abs === null))
        fail(`${p.name} on ${JSON.stringify(e)}: state ${raw} vs representative ${abs}`);
    }
    seen.transitions++;
  }
}

/** A raw walk driven by `choices`: even choices favour `wait`/`back` when enabled, so hold timers and restarts end in every order. */
function walk(scope: SpecScope, choices: number[], seen: Coverage): void {
  const events = allEvents(scope);
  let s = initialState(scope);
  const trace: SpecEvent[] = [];
  checkState(scope, s, trace, seen);
  for (const c of choices) {
    const open = events.filter((e) => enabled(s, e));
    const timed = open.filter((e) => e.kind === 'wait' || e.kind === 'back');
    const e = c % 2 === 0 && timed.length ? timed[(c >> 1) % timed.length]! : open[c % open.length]!;
    if (e.kind === 'wait' || e.kind === 'back') seen.timed++;
    trace.push(e);
    s = specStep(s, scope, e).state;
    checkState(scope, s, trace, seen);
  }
}

describe('canonical: each step of the abstraction is exact on raw runs', () => {
  const scopes: Array<{ name: string; scope: SpecScope; runs: number }> = [
    { name: '2 nodes, 3 phones of distinct configurations', scope: scopeOf(2, 3), runs: 200 },
    { name: '2 nodes, 4 phones (phones 0 and 3 alike)', scope: scopeOf(2, 4), runs: 150 },
    { name: '3 nodes, 2 phones', scope: scopeOf(3, 2), runs: 200 },
    { name: '2 nodes, 3 phones, hold timer off', scope: scopeOf(2, 3, { holdTimer: false }), runs: 200 },
    { name: '2 nodes, 3 phones, installed before 10.0', scope: scopeOf(2, 3, { pre10: true }), runs: 200 },
    { name: '2 nodes, 3 phones, 12.5 non-secure', scope: scopeOf(2, 3, { release: '12.5' }), runs: 150 },
    { name: '2 nodes, 3 phones, 12.5 mixed mode', scope: scopeOf(2, 3, { release: '12.5', mixed: true }), runs: 200 },
    {
      name: '2 nodes, 3 phones, 12.5 mixed mode installed at 11.5',
      scope: scopeOf(2, 3, { release: '12.5', mixed: true, pre12: true }),
      runs: 150,
    },
  ];

  for (const { name, scope, runs } of scopes) {
    it(`should give the representative the same enabled events, successors and verdicts when a raw walk reaches any state (${name})`, () => {
      const seen: Coverage = { transitions: 0, timed: 0, permuted: 0, reps: new Map() };
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 30, size: 'max' }), (choices) =>
          walk(scope, choices, seen),
        ),
        { seed: seedFromEnv(), numRuns: runs },
      );
      // The walks must have reached time events and, where phones are alike, representatives that reorder them.
      expect(seen.timed).toBeGreaterThan(0);
      expect(seen.permuted > 0).toBe(symmetryGroups(scope).some((g) => g.length > 1));
    });
  }
});
