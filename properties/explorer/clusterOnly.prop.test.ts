/**
 * The actions marked `clusterOnly` (spec/action.ts) change nothing but the cluster: their step leaves
 * every phone as it was and raises nothing (no rule, no boot, no lock, no regeneration within a
 * hold); and such a step passes every registered step check (spec/invariants.ts `AbstractCheck.step`).
 * The packed explorer relies on both: it keys their successors from the cluster memo without running
 * the effect, and does not run the step checks there. Checked on every representative the explorer
 * reaches within a few steps of each kind of scope, for every event of such an action that the state
 * takes; a spec whose clusterOnly action boots a phone, and a step check that judges the cluster, are
 * caught (the last tests).
 */
import { describe, expect, it } from 'vitest';
import { SCOPE_KINDS } from '../../test-support/specScopes.ts';
import { PROPERTIES } from '../registry.ts';
import type { Action } from '../spec/action.ts';
import { actionOf } from '../spec/actions.ts';
import { boot, type SpecStep } from '../spec/effects.ts';
import { allEvents, type EventKind, type SpecEvent } from '../spec/events.ts';
import type { AbstractCheck } from '../spec/invariants.ts';
import { scopeOf, type SpecScope } from '../spec/scope.ts';
import { cloneState, type SpecState } from '../spec/state.ts';
import { blankStep } from '../spec/step.ts';
import { explore } from './explore.ts';

/** The representatives `explore` reaches within `depth` steps. */
function representatives(scope: SpecScope, depth: number): SpecState[] {
  const reps: SpecState[] = [];
  explore({ scope, properties: [], maxDepth: depth, onState: (s) => reps.push(s) });
  return reps;
}

/** The step checks of every registered property. */
const STEP_CHECKS: ReadonlyArray<[string, AbstractCheck]> = PROPERTIES.filter((p) => p.abstract?.step).map((p) => [
  p.name,
  p.abstract!,
]);

/**
 * Takes, at every representative of `reps`, every event of a clusterOnly action (as `actionFor` gives
 * it) that the state takes and the cluster accepts, and reports each step that changed a phone or
 * raised something, and each that a step check of `checks` failed; also the kinds taken and how many steps.
 */
function clusterOnlyClaim(
  scope: SpecScope,
  reps: SpecState[],
  actionFor: (e: SpecEvent) => Action<EventKind>,
  checks: ReadonlyArray<[string, AbstractCheck]>,
): { violations: string[]; kinds: Set<EventKind>; steps: number } {
  const violations: string[] = [];
  const kinds = new Set<EventKind>();
  let steps = 0;
  for (const rep of reps)
    for (const e of allEvents(scope)) {
      const action = actionFor(e);
      if (!action.clusterOnly || !action.enabled(rep, e) || (action.refusal?.(rep, scope, e) ?? null) !== null)
        continue;
      const step: SpecStep = blankStep(cloneState(rep));
      action.effect(step.state, scope, e, step);
      const where = `${JSON.stringify(e)} at ${JSON.stringify(rep)}`;
      const raised = { rules: step.rules, booted: step.booted, locked: step.locked, within: step.regenWithinHold };
      if (JSON.stringify(step.state.phones) !== JSON.stringify(rep.phones)) violations.push(`phones changed: ${where}`);
      if (JSON.stringify(raised) !== JSON.stringify({ rules: 0, booted: 0, locked: -1, within: false }))
        violations.push(`raised ${JSON.stringify(raised)}: ${where}`);
      for (const [name, check] of checks) {
        const failed = check.step!(rep, e, step, scope);
        if (failed) violations.push(`${name} failed (${failed}): ${where}`);
      }
      kinds.add(e.kind);
      steps++;
    }
  return { violations, kinds, steps };
}

describe('clusterOnly actions', () => {
  for (const { name, scope, depth } of SCOPE_KINDS) {
    it(`should leave every phone as it was, raise nothing, and pass every step check (${name})`, () => {
      const { violations, kinds, steps } = clusterOnlyClaim(
        scope,
        representatives(scope, depth),
        actionOf,
        STEP_CHECKS,
      );
      expect(violations.slice(0, 3)).toEqual([]);
      // Not vacuous: every clusterOnly action the scope has was taken, on many states, and checked by every step check.
      const expected = new Set(
        allEvents(scope)
          .filter((e) => actionOf(e).clusterOnly)
          .map((e) => e.kind),
      );
      expect([...kinds].sort()).toEqual([...expected].sort());
      expect(kinds.size).toBeGreaterThan(4);
      expect(steps).toBeGreaterThan(1000);
      expect(STEP_CHECKS.map(([n]) => n)).toEqual(
        expect.arrayContaining(['holdTimer', 'noUnverifiedItl', 'regenerationsKeepTrust', 'upgradeKeepsTrust']),
      );
    });
  }

  it('should mark no action both clusterOnly and phonesOnly (the packed explorer takes the first for the second)', () => {
    const events = SCOPE_KINDS.flatMap(({ scope }) => allEvents(scope));
    const both = events.filter((e) => actionOf(e).clusterOnly && actionOf(e).phonesOnly).map((e) => e.kind);
    expect(both).toEqual([]);
    // Not vacuous: both marks are used.
    expect(events.some((e) => actionOf(e).clusterOnly) && events.some((e) => actionOf(e).phonesOnly)).toBe(true);
  });

  it('should catch an action marked clusterOnly whose effect boots a phone', () => {
    const scope = scopeOf(2, 3);
    // A bad spec: `tftp.restart` also reboots phone 0 when it is on.
    const real = actionOf({ kind: 'tftpRestart', node: 0 });
    const bad: Action<EventKind> = {
      ...real,
      effect: (s, sc, e, step) => {
        real.effect(s, sc, e, step);
        if (s.phones[0]!.online) boot(s, sc, 0, step);
      },
    };
    const { violations } = clusterOnlyClaim(
      scope,
      representatives(scope, 3),
      (e) => (e.kind === 'tftpRestart' ? bad : actionOf(e)),
      [],
    );
    expect(violations.length).toBeGreaterThan(0);
  });

  it('should catch a step check that judges what a step did to the cluster', () => {
    const scope = scopeOf(2, 2);
    // A bad check: no TFTP is ever impersonated (a cluster's change, which a clusterOnly step makes).
    const bad: AbstractCheck = { step: (_b, e) => (e.kind === 'forge' ? 'a TFTP impersonated' : null) };
    const { violations } = clusterOnlyClaim(scope, representatives(scope, 2), actionOf, [['noForge', bad]]);
    expect(violations.length).toBeGreaterThan(0);
  });
});
