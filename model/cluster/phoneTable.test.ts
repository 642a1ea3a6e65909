import { describe, expect, it } from 'vitest';
import type { ClusterState, PhoneState } from './clusterState.ts';
import {
  indexOfPhone,
  notOwning,
  owning,
  ownPhones,
  phoneTable,
  pushPhone,
  restartingIndexes,
  setPhone,
  takeChanged,
} from './phoneTable.ts';

/*
 * The phone table is a speed structure (issue 17): its contract is that a fold that owns its phones
 * sees the same phones as plain array code would, with the index, restarting set and changed set
 * telling the truth about the array beside them.
 */

const phone = (id: string, restartingUntil?: string): PhoneState =>
  ({ id, ...(restartingUntil ? { restartingUntil } : {}) }) as unknown as PhoneState;
const stateOf = (phones: PhoneState[]) => ({ phones }) as unknown as ClusterState;

describe('the phone table of a fold that owns its phones (model/cluster/phoneTable.ts)', () => {
  it('should own nothing outside `owning`, and stop owning inside `notOwning` until it returns', () => {
    const state = stateOf([phone('a')]);
    expect(ownPhones(state)).toBeUndefined();
    const ran = owning(() => {
      expect(ownPhones(state)).toBeDefined();
      expect(notOwning(() => [ownPhones(state), 'ran'])).toEqual([undefined, 'ran']);
      // Ownership comes back when notOwning returns, and after a nested owning fold.
      const phones = ownPhones(state)!;
      expect(phones).toBeDefined();
      expect(owning(() => ownPhones(stateOf(phones)))).not.toBe(phones);
      expect(ownPhones(stateOf(phones))).toBe(phones);
      return 'ran';
    });
    expect(ran).toBe('ran');
    expect(ownPhones(state)).toBeUndefined();
  });

  it('should copy a state’s array once, then hand back the owned copy, with a table that finds every phone by id', () => {
    const given = [phone('a'), phone('b')];
    const done = owning(() => {
      const phones = ownPhones(stateOf(given))!;
      expect(phones).not.toBe(given);
      expect(phones).toEqual(given);
      expect(ownPhones(stateOf(phones))).toBe(phones);
      expect(phoneTable(phones)).toBeDefined();
      expect(phoneTable(given)).toBeUndefined();
      pushPhone(phones, phone('c'));
      expect(['a', 'b', 'c', 'zz'].map((id) => indexOfPhone(phones, id))).toEqual([0, 1, 2, -1]);
      return true;
    });
    expect(done).toBe(true);
    // A plain array is searched by a scan, with the same answers.
    expect(['a', 'b', 'zz'].map((id) => indexOfPhone(given, id))).toEqual([0, 1, -1]);
    expect(given.map((p) => p.id)).toEqual(['a', 'b']);
  });

  it('should write a plain array as plain code does, and keep no table for it', () => {
    const plain = [phone('a')];
    setPhone(plain, 0, phone('a', '2024-03-04T09:05:00Z'));
    pushPhone(plain, phone('b', '2024-03-04T09:05:00Z'));
    expect(plain.map((p) => p.restartingUntil)).toEqual(['2024-03-04T09:05:00Z', '2024-03-04T09:05:00Z']);
    expect(restartingIndexes(plain)).toBeUndefined();
    expect(takeChanged(plain)).toBeUndefined();
  });

  it('should list exactly the restarting phones, in log order, as phones start and end restarts (A14)', () => {
    const done = owning(() => {
      // One phone was already restarting in the state the fold was given.
      const phones = ownPhones(stateOf([phone('a'), phone('b', '2024-03-04T09:05:00Z'), phone('c')]))!;
      expect(restartingIndexes(phones)).toEqual([1]);
      setPhone(phones, 2, phone('c', '2024-03-04T09:06:00Z'));
      setPhone(phones, 0, phone('a', '2024-03-04T09:07:00Z'));
      pushPhone(phones, phone('d', '2024-03-04T09:08:00Z'));
      pushPhone(phones, phone('e'));
      expect(restartingIndexes(phones)).toEqual([0, 1, 2, 3]);
      setPhone(phones, 1, phone('b'));
      setPhone(phones, 4, phone('e'));
      expect(restartingIndexes(phones)).toEqual([0, 2, 3]);
      return true;
    });
    expect(done).toBe(true);
  });

  it('should hand the hazards each written index once, and then nothing until the next write', () => {
    const done = owning(() => {
      const phones = ownPhones(stateOf([phone('a'), phone('b')]))!;
      expect(takeChanged(phones)).toEqual([]);
      setPhone(phones, 1, phone('b', '2024-03-04T09:05:00Z'));
      pushPhone(phones, phone('c'));
      expect(takeChanged(phones)!.sort()).toEqual([1, 2]);
      expect(takeChanged(phones)).toEqual([]);
      setPhone(phones, 0, phone('a'));
      expect(takeChanged(phones)).toEqual([0]);
      return true;
    });
    expect(done).toBe(true);
  });
});
