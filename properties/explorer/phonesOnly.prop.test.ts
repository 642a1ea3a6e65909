/**
 * The actions marked `phonesOnly` (spec/action.ts) change nothing but the phones, and for them the
 * packed explorer's short cut (canonicalCodes.ts `phonesOnlyCodes`: the parent's cluster codes, then the
 * phones coded with every key its own id) gives exactly `canonicalCodes`' key. Checked on every
 * representative the explorer reaches within a few steps of each kind of scope, for every event of
 * such an action that the state takes.
 */
import { describe, expect, it } from 'vitest';
import { SCOPE_KINDS } from '../../test-support/specScopes.ts';
import { actionOf } from '../spec/actions.ts';
import { allEvents, type EventKind } from '../spec/events.ts';
import type { SpecScope } from '../spec/scope.ts';
import type { SpecState } from '../spec/state.ts';
import { acceptedStep, refusalOf } from '../spec/step.ts';
import { symmetryGroups } from './canonical.ts';
import { canonicalCodes, clusterLength, phonesOnlyCodes, type KeyCodes } from './canonicalCodes.ts';
import { explore } from './explore.ts';

/** Everything of a state but its phones. */
function cluster(s: SpecState): unknown {
  const { phones: _, ...rest } = s;
  return rest;
}

/** The key `canonicalCodes` writes for `s`, as an array. */
function fullKey(s: SpecState, groups: number[][], scope: SpecScope): number[] {
  const into: KeyCodes<Uint8Array> = { data: new Uint8Array(8), length: 0 };
  canonicalCodes(s, groups, scope, into);
  return Array.from(into.data.subarray(0, into.length));
}

describe('phonesOnly actions and phonesOnlyCodes', () => {
  for (const { name, scope, depth } of SCOPE_KINDS) {
    it(`should leave the cluster as it was and key the successor as canonicalCodes does (${name})`, () => {
      const groups = symmetryGroups(scope);
      const events = allEvents(scope);
      const reps: SpecState[] = [];
      explore({ scope, properties: [], maxDepth: depth, onState: (s) => reps.push(s) });
      const checked = new Map<EventKind, number>();
      const into: KeyCodes<Uint8Array> = { data: new Uint8Array(8), length: 0 };
      for (const rep of reps) {
        const bytes = new Uint8Array(256);
        bytes.set(fullKey(rep, groups, scope));
        const prefix = new Uint32Array(bytes.buffer);
        for (const e of events) {
          const action = actionOf(e);
          if (!action.phonesOnly || !action.enabled(rep, e) || refusalOf(rep, scope, e) !== null) continue;
          const next = acceptedStep(rep, scope, e).state;
          const where = `${JSON.stringify(e)} at ${JSON.stringify(rep)}`;
          expect(cluster(next), where).toEqual(cluster(rep));
          phonesOnlyCodes(next, groups, scope, prefix, clusterLength(rep), into);
          expect(Array.from(into.data.subarray(0, into.length)), where).toEqual(fullKey(next, groups, scope));
          checked.set(e.kind, (checked.get(e.kind) ?? 0) + 1);
        }
      }
      // Not vacuous: every phones-only action the scope has was checked, on many states.
      const kinds = new Set(events.filter((e) => actionOf(e).phonesOnly).map((e) => e.kind));
      expect([...checked.keys()].sort()).toEqual([...kinds].sort());
      expect(reps.length).toBeGreaterThan(100);
    });
  }
});
