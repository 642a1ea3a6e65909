/**
 * The cluster memo (clusterMemo.ts) rests on one claim of the spec (spec/action.ts `effect`): what an
 * action writes to the cluster it computes from the cluster alone, so from two states with the same
 * cluster an event gives successors with the same cluster, hence the same cluster codes and the same
 * id for every key. Checked on every representative the explorer reaches within a few steps of each
 * kind of scope, for every event of an action that is not phones-only; then the memo's keys are held
 * equal to `canonicalCodes`' on the same successors. A spec whose effect on the cluster read a phone
 * is caught (the last test).
 */
import { describe, expect, it } from 'vitest';
import { SCOPE_KINDS } from '../../test-support/specScopes.ts';
import { symmetryGroups } from '../explorer/canonical.ts';
import { canonicalCodes, clusterLength, keyId, type KeyCodes } from '../explorer/canonicalCodes.ts';
import { explore } from '../explorer/explore.ts';
import type { Action } from '../spec/action.ts';
import { actionOf } from '../spec/actions.ts';
import { allEvents, type EventKind, type SpecEvent } from '../spec/events.ts';
import { scopeOf, type SpecScope } from '../spec/scope.ts';
import { cloneState, samePhones, type SpecPhone, type SpecState } from '../spec/state.ts';
import { blankStep } from '../spec/step.ts';
import { CLUSTER_CODES, ClusterMemo, NO_ENTRY, SELF, WRITTEN } from './clusterMemo.ts';

/** The representatives `explore` reaches within `depth` steps. */
function representatives(scope: SpecScope, depth: number): SpecState[] {
  const reps: SpecState[] = [];
  explore({ scope, properties: [], maxDepth: depth, onState: (s) => reps.push(s) });
  return reps;
}

/** The key `canonicalCodes` writes for `s`, as an array. */
function fullKey(s: SpecState, groups: number[][], scope: SpecScope): number[] {
  const into: KeyCodes<Uint8Array> = { data: new Uint8Array(8), length: 0 };
  canonicalCodes(s, groups, scope, into);
  return Array.from(into.data.subarray(0, into.length));
}

/** The successor of `s` by `e` under `action` (taken whether or not the cluster would refuse it: the claim is about effects). */
function successor(s: SpecState, scope: SpecScope, e: SpecEvent, action: Action<EventKind>): SpecState {
  const step = blankStep(cloneState(s));
  action.effect(step.state, scope, e, step);
  return step.state;
}

/**
 * For the events of actions that are not phones-only, at every representative of `reps`: groups the
 * successors by their state's cluster codes and the event, and reports each group whose successors
 * differ in cluster codes, keys' ids or next key; also how many groups held more than one state, and
 * the kinds checked.
 */
function clusterClaim(
  scope: SpecScope,
  reps: SpecState[],
  actionFor: (e: SpecEvent) => Action<EventKind>,
): { violations: string[]; shared: number; kinds: Set<EventKind> } {
  const groups = symmetryGroups(scope);
  const events = allEvents(scope);
  const seen = new Map<string, { got: string; count: number }>();
  const violations: string[] = [];
  const kinds = new Set<EventKind>();
  for (const rep of reps) {
    const cluster = fullKey(rep, groups, scope).slice(0, clusterLength(rep)).join(',');
    events.forEach((e, k) => {
      const action = actionFor(e);
      if (action.phonesOnly || !action.enabled(rep, e)) return;
      const next = successor(rep, scope, e, action);
      const codes = fullKey(next, groups, scope).slice(0, clusterLength(next));
      const ids = Array.from({ length: next.nextKey }, (_, x) => keyId(x));
      const got = JSON.stringify({ codes, ids, nextKey: next.nextKey });
      const where = `${cluster}|${k}`;
      const before = seen.get(where);
      kinds.add(e.kind);
      if (!before) seen.set(where, { got, count: 1 });
      else {
        before.count++;
        if (before.got !== got)
          violations.push(`${JSON.stringify(e)} at ${JSON.stringify(rep)}: ${got} != ${before.got}`);
      }
    });
  }
  return { violations, shared: [...seen.values()].filter((g) => g.count > 1).length, kinds };
}

/** A memo for `scope`'s events within `budget` bytes. */
function memoOf(scope: SpecScope, budget: number): ClusterMemo {
  return new ClusterMemo(
    scope,
    allEvents(scope).map((e) => actionOf(e).phonesOnly === true),
    budget,
  );
}

/** The stored key of `s` (its cluster interned in `memo`), as an array. */
function storedKey(memo: ClusterMemo, s: SpecState, scope: SpecScope): number[] {
  const into: KeyCodes<Uint8Array> = { data: new Uint8Array(256), length: 0 };
  canonicalCodes(s, symmetryGroups(scope), scope, into);
  expect(memo.stored(s, into)).toBeGreaterThanOrEqual(0);
  return Array.from(into.data.subarray(0, into.length));
}

/**
 * Keys, through `memo`, every successor of every representative of `reps` by an event of an action
 * that is not phones-only, and expects each stored key to be the one `canonicalCodes` gives (and to
 * read back as its canonical key); for an action that is clusterOnly, the key `quietKeyOf` gives from
 * the entry alone too, when it has one. How many were found to be their state itself, and how many
 * were keyed by `quietKeyOf`.
 */
function keyEverySuccessor(memo: ClusterMemo, scope: SpecScope, reps: SpecState[]): { selves: number; quiet: number } {
  const groups = symmetryGroups(scope);
  const events = allEvents(scope);
  const into: KeyCodes<Uint8Array> = { data: new Uint8Array(256), length: 0 };
  const back = new Uint8Array(512);
  let selves = 0;
  let quiet = 0;
  for (const rep of reps) {
    const key = storedKey(memo, rep, scope);
    const bytes = new Uint8Array(256);
    bytes.set(key);
    memo.enter(memo.clusterOf(bytes), rep, bytes, key.length);
    events.forEach((e, k) => {
      const action = actionOf(e);
      if (action.phonesOnly || !action.enabled(rep, e)) return;
      const next = successor(rep, scope, e, action);
      const where = `${JSON.stringify(e)} at ${JSON.stringify(rep)}`;
      const fromEntry = action.clusterOnly ? memo.quietKeyOf(k, groups, scope, into) : NO_ENTRY;
      if (fromEntry !== NO_ENTRY) {
        quiet++;
        const got = fromEntry === SELF ? key : Array.from(into.data.subarray(0, into.length));
        expect(got, `quietKeyOf: ${where}`).toEqual(storedKey(memo, next, scope));
      }
      const done = memo.keyOf(k, next, groups, scope, into);
      if (done === SELF) selves++;
      else expect(done).toBe(WRITTEN);
      const got = done === SELF ? key : Array.from(into.data.subarray(0, into.length));
      expect(got, where).toEqual(storedKey(memo, next, scope));
      const width = memo.canonical(Uint8Array.from(got), got.length, back);
      expect(Array.from(back.subarray(0, width + got.length - CLUSTER_CODES)), where).toEqual(
        fullKey(next, groups, scope),
      );
    });
  }
  return { selves, quiet };
}

describe('the cluster memo (properties/packed/clusterMemo.ts)', () => {
  for (const { name, scope, depth } of SCOPE_KINDS) {
    it(`should find that an event gives states with one cluster successors with one cluster (${name})`, () => {
      const reps = representatives(scope, depth);
      const { violations, shared, kinds } = clusterClaim(scope, reps, actionOf);
      expect(violations.slice(0, 3)).toEqual([]);
      // Not vacuous: every action that is not phones-only was checked, on many clusters shared by several states.
      const expected = new Set(
        allEvents(scope)
          .filter((e) => !actionOf(e).phonesOnly)
          .map((e) => e.kind),
      );
      expect([...kinds].sort()).toEqual([...expected].sort());
      expect(shared).toBeGreaterThan(100);
    });

    it(`should key every successor as canonicalCodes does (${name})`, () => {
      const memo = memoOf(scope, 1 << 22);
      const { selves, quiet } = keyEverySuccessor(memo, scope, representatives(scope, depth));
      // Not vacuous: many successors were keyed from an entry, not in full, many of them without their
      // step, and some were found to be their state itself.
      expect(memo.hits).toBeGreaterThan(10_000);
      expect(quiet).toBeGreaterThan(1_000);
      expect(selves).toBeGreaterThan(100);
    });
  }

  it('should code every successor in full, with the same keys, when its budget holds its clusters but no entries', () => {
    const scope = scopeOf(2, 2);
    const memo = memoOf(scope, 32 * 1024);
    keyEverySuccessor(memo, scope, representatives(scope, 2));
    expect(memo.hits).toBe(0);
    expect(memo.misses).toBeGreaterThan(100);
    expect(memo.clusterCount()).toBeGreaterThan(10);
    expect(memo.bytes()).toBeLessThanOrEqual(32 * 1024);
  });

  it('should give its entries back when asked, and key every successor in full after, with the same keys', () => {
    const scope = scopeOf(2, 2);
    const memo = memoOf(scope, 1 << 22);
    const reps = representatives(scope, 3);
    const half = reps.length >> 1;
    keyEverySuccessor(memo, scope, reps.slice(0, half));
    const [bytes, hits] = [memo.bytes(), memo.hits];
    expect(hits).toBeGreaterThan(100);
    expect(memo.releaseEntries()).toBe(true);
    expect(memo.bytes()).toBeLessThan(bytes);
    keyEverySuccessor(memo, scope, reps.slice(half));
    // No entry kept after: every successor coded in full (and checked equal to the full form above).
    expect(memo.hits).toBe(hits);
    expect(memo.releaseEntries()).toBe(false);
  });

  it('should report no room for a cluster its budget cannot hold', () => {
    const scope = scopeOf(2, 2);
    const memo = memoOf(scope, 0);
    const into: KeyCodes<Uint8Array> = { data: new Uint8Array(256), length: 0 };
    const rep = representatives(scope, 0)[0]!;
    canonicalCodes(rep, symmetryGroups(scope), scope, into);
    expect(memo.stored(rep, into)).toBe(-1);
    expect(memo.clusterCount()).toBe(0);
  });

  it('should catch an action whose effect on the cluster reads a phone', () => {
    const scope = scopeOf(2, 3);
    // A bad spec: `cluster.password` leaves the backup readable while phone 0 is on.
    const real = actionOf({ kind: 'password' } as SpecEvent);
    const bad: Action<EventKind> = {
      ...real,
      effect: (s, sc, e, step) => {
        real.effect(s, sc, e, step);
        s.backupOpens = s.phones[0]!.online;
      },
    };
    const { violations } = clusterClaim(scope, representatives(scope, 3), (e) =>
      e.kind === 'password' ? bad : actionOf(e),
    );
    expect(violations.length).toBeGreaterThan(0);
  });

  it('should tell phones apart by every field but their last decision (samePhones, which the memo reads)', () => {
    const scope = scopeOf(2, 2);
    const rep = representatives(scope, 3).find((s) => s.phones[0]!.itl !== null)!;
    const fields = Object.keys(rep.phones[0]!) as Array<keyof SpecPhone>;
    expect(fields.length).toBeGreaterThan(5);
    for (const field of fields) {
      const other = cloneState(rep);
      const phone = other.phones[0]! as unknown as Record<string, unknown>;
      const was = phone[field];
      phone[field] =
        typeof was === 'boolean'
          ? !was
          : typeof was === 'number'
            ? was + 1
            : typeof was === 'string'
              ? `${was}-other`
              : was === null
                ? { rule: 'R0', r2: null }
                : { ...(was as object) };
      expect(samePhones(other, rep), field).toBe(field === 'lastDecision');
    }
    expect(samePhones(cloneState(rep), rep)).toBe(true);
  });
});
