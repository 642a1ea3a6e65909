import { describe, expect, it } from 'vitest';
import { recoveryForEveryPhone, WEAKNESSES } from '../registry.ts';
import type { Alphabet } from '../spec/events.ts';
import { scopeOf, type SpecScope } from '../spec/scope.ts';
import type { SpecState } from '../spec/state.ts';
import { canonical, symmetryGroups } from './canonical.ts';
import { exhaustivePerPhone } from './checkRuns.ts';
import { explore } from './explore.ts';
import { exhaustivePerPhoneParallel } from './parallel.ts';

/** Every distinct state of a scope (representatives), explored to an empty frontier. */
function reachable(scope: SpecScope, alphabet: Alphabet): SpecState[] {
  const states: SpecState[] = [];
  const result = explore({ scope, alphabet, properties: [], maxDepth: 60, onState: (rep) => states.push(rep) });
  expect(result.complete).toBe(true);
  return states;
}

/** The canonical key of phone i's projection: the cluster with that phone alone, in the one-phone scope. */
function projection(rep: SpecState, i: number, single: SpecScope): string {
  return canonical({ ...rep, phones: [rep.phones[i]!] }, symmetryGroups(single), single).key;
}

describe('per-phone decomposition (checkRuns.exhaustivePerPhone)', () => {
  // Small enough for the product to be explored completely: both sides are then whole reachable sets.
  const alphabet: Alphabet = new Set([
    'add',
    'power',
    'reset',
    'regen:CallManager',
    'regen:TVS',
    'wait',
    'back',
    'itlReset',
    'tftpRestart',
    'devicesReset',
  ]);

  it('should reach exactly the projections of the product when each phone configuration is explored alone', () => {
    const scope = scopeOf(2, 2);
    const product = reachable(scope, alphabet);
    expect(product.length).toBeGreaterThan(10_000);
    for (let i = 0; i < scope.phones; i++) {
      const single: SpecScope = { ...scope, phones: 1, configs: [scope.configs[i]!] };
      const alone = new Set(
        reachable(single, alphabet).map((rep) => canonical(rep, symmetryGroups(single), single).key),
      );
      const projected = new Set(product.map((rep) => projection(rep, i, single)));
      expect(projected.size, `phone ${i}`).toBe(alone.size);
      for (const key of projected) expect(alone.has(key), `phone ${i}`).toBe(true);
    }
  });

  it('should give the same counts and counterexample logs on worker threads as in one thread', async () => {
    const scope = scopeOf(2, 3);
    const spec = {
      properties: [recoveryForEveryPhone],
      maxDepth: 60,
      alphabet: WEAKNESSES.find((n) => n.id === 'c-rebuild-without-backup')!.alphabet,
    };
    const strip = (r: Awaited<ReturnType<typeof exhaustivePerPhoneParallel>>) => ({
      ...r,
      seconds: 0,
      parts: r.parts.map((p) => ({ ...p, seconds: 0 })),
      violations: [...r.violations],
    });
    const one = strip(exhaustivePerPhone(scope, spec));
    expect(one.violations.length).toBe(1);
    expect(strip(await exhaustivePerPhoneParallel(scope, spec, 2))).toEqual(one);
  });
});
