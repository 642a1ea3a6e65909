import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replay, replayFrom } from '../../machines/replay.ts';
import { logArb, seedFromEnv } from '../../properties/arbitraries.ts';
import { owning, ownPhones, pushPhone } from '../cluster/phoneTable.ts';
import type { ClusterState } from '../cluster/clusterState.ts';
import { replayModel } from './fold.ts';

/*
 * A fold that keeps no context owns its phones and writes them in place (model/cluster/phoneTable.ts);
 * one that keeps its contexts never writes in place. The two must give the same world and reports on
 * every log, and a context handed to a fold must never change.
 */

const json = (value: unknown) => JSON.stringify(value);

describe('a fold that owns its phones (writes in place)', () => {
  it('should give the same reports, final and settled world as a fold that keeps every context', () => {
    fc.assert(
      fc.property(logArb(16), fc.boolean(), ({ events }, holdTimer) => {
        const opts = { crypto: 'symbolic' as const, options: { holdTimer } };
        const kept = replayModel(events, { ...opts, keepContexts: true });
        const owned = replayModel(events, opts);
        expect(json(owned.reports)).toBe(json(kept.reports));
        expect(json(owned.final)).toBe(json(kept.final));
        expect(json(owned.settled)).toBe(json(kept.settled));
        expect(json(replay(events, opts).settled)).toBe(json(kept.settled));
      }),
      { seed: seedFromEnv(), numRuns: 60 },
    );
  });

  it('should never write a context it was given, nor a kept context, when continuing from it', () => {
    fc.assert(
      fc.property(logArb(16), fc.nat(), ({ events }, cut) => {
        const at = events.length > 1 ? 1 + (cut % (events.length - 1)) : events.length;
        const first = replay(events.slice(0, at), { crypto: 'symbolic', keepContexts: true });
        const before = json(first.contexts);
        const finalBefore = json(first.final);
        replayFrom(first.final, events.slice(at));
        expect(json(first.contexts)).toBe(before);
        expect(json(first.final)).toBe(finalBefore);
      }),
      { seed: seedFromEnv(), numRuns: 50 },
    );
  });

  it('should copy a state’s phones before the first write in place, and write in place after', () => {
    const state = { phones: [{ id: 'a' }] } as unknown as ClusterState;
    const phone = { id: 'b' } as unknown as ClusterState['phones'][number];
    // Outside an owning fold nothing is owned: the caller copies.
    expect(ownPhones(state)).toBeUndefined();
    owning(() => {
      const phones = ownPhones(state)!;
      expect(phones).not.toBe(state.phones);
      pushPhone(phones, phone);
      expect(ownPhones({ ...state, phones })).toBe(phones);
    });
    expect(state.phones.map((p) => p.id)).toEqual(['a']);
  });
});
