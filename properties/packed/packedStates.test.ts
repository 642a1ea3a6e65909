/**
 * The packed store on its own: keys come back as they went in, are found again, and stay so when
 * the store repacks them (a longer key than any so far, or the first code of 16 or more, which ends
 * two codes to a byte).
 */
import { describe, expect, it } from 'vitest';
import { ADDED, FULL, PackedStates, SEEN } from './packedStates.ts';

/** A key array as canonicalCodes.ts hands one over: the codes, then room to a multiple of 8. */
function keyOf(codes: number[], room = 64): Uint8Array {
  const data = new Uint8Array(room);
  data.set(codes);
  return data;
}

/**
 * Key `i` of `length` codes below `limit`: its first three codes tell it from the others (i below
 * (limit - 1)^3), the rest vary with i and the position, so that every word of the key matters.
 */
function codesOf(i: number, length: number, limit: number): number[] {
  const base = limit - 1;
  return Array.from({ length }, (_, x) =>
    x < 3 ? 1 + (Math.floor(i / base ** x) % base) : (i * 7 + x * 5 + (i >> 3)) % limit,
  );
}

/** Adds each key and checks what the store says; returns the ids given. */
function addAll(store: PackedStates, keys: number[][]): number[] {
  return keys.map((codes, i) => {
    expect(store.add(keyOf(codes), codes.length, i - 1, i), `key ${i}`).toBe(ADDED);
    return store.size - 1;
  });
}

/** Whether every key is found again under its id, and reads back as it went in. */
function expectKept(store: PackedStates, keys: number[][], ids: number[]): void {
  keys.forEach((codes, i) => {
    expect(store.add(keyOf(codes), codes.length, 0, 0), `key ${i} again`).toBe(SEEN);
    expect(Array.from(store.key(ids[i]!).subarray(0, codes.length)), `key ${i} read back`).toEqual(codes);
  });
}

describe('the packed state store (properties/packed/packedStates.ts)', () => {
  it('should find every key again and read it back, codes below 16 packed two to a byte', () => {
    const store = new PackedStates(64 * 2 ** 20);
    const keys = Array.from({ length: 5000 }, (_, i) => codesOf(i, 12, 16));
    const ids = addAll(store, keys);
    expectKept(store, keys, ids);
    expect(store.size).toBe(5000);
    // Two codes to a byte: 5,000 keys of 12 codes in 8 bytes each (16 codes wide) fit a 64 KiB arena share.
    expect(store.storeBytes()).toBeLessThan(5000 * 16 + 8192 * 8 + 8192 * 6 + 64 * 1024);
  });

  it('should keep every key when a code of 16 or more ends the packing, and when a longer key widens them', () => {
    const store = new PackedStates(64 * 2 ** 20);
    const small = Array.from({ length: 3000 }, (_, i) => codesOf(i, 10, 16));
    const ids = addAll(store, small);
    const large = Array.from({ length: 500 }, (_, i) => [...codesOf(i, 10, 16), 200, i % 250]);
    // Ended by a code no shorter key has there (keys are prefix-free: a shorter one padded with zeros is the same key).
    const longer = Array.from({ length: 200 }, (_, i) => [...codesOf(i, 39, 250), 1]);
    ids.push(...addAll(store, large), ...addAll(store, longer));
    const all = [...small, ...large, ...longer];
    expectKept(store, all, ids);
    expect(store.size).toBe(all.length);
  });

  it('should repack the rows of a batch staged before a key that ends the packing, and add them all', () => {
    const store = new PackedStates(1 << 22);
    const first = codesOf(0, 10, 16);
    expect(store.add(keyOf(first), first.length, -1, 0)).toBe(ADDED);
    const rows = [codesOf(1, 10, 16), codesOf(2, 10, 16), first, [...codesOf(3, 10, 16), 99]];
    const data = new Uint8Array(64);
    rows.forEach((codes, r) => {
      data.fill(0);
      data.set(codes);
      expect(store.stage(r, data, codes.length)).toBe(true);
    });
    expect(rows.map((_, r) => store.commit(r, 0, r))).toEqual([ADDED, ADDED, SEEN, ADDED]);
    expectKept(store, [first, rows[0]!, rows[1]!, rows[3]!], [0, 1, 2, 3]);
  });

  it('should tell keys apart that differ only in a high code or in zero padding (prefix-free keys stay distinct)', () => {
    const store = new PackedStates(1 << 20);
    expect(store.add(keyOf([1, 2, 3]), 3, -1, 0)).toBe(ADDED);
    expect(store.add(keyOf([1, 2, 3, 0]), 4, 0, 0)).toBe(SEEN);
    expect(store.add(keyOf([1, 2, 19]), 3, 0, 0)).toBe(ADDED);
    expect(store.add(keyOf([1, 2, 3]), 3, 0, 0)).toBe(SEEN);
    expect(Array.from(store.key(1).subarray(0, 3))).toEqual([1, 2, 19]);
  });

  it('should count the bytes of the others against its budget, and ask them to give back room before it says FULL', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => codesOf(i, 12, 16));
    const budget = 1 << 20;
    // Others holding half the budget, unwilling to give it back: the store fills up early.
    const held = new PackedStates(budget, () => budget / 2);
    const heldAdded = keys.findIndex((codes) => held.add(keyOf(codes), codes.length, 0, 0) === FULL);
    expect(heldAdded).toBeGreaterThan(0);
    expect(held.storeBytes()).toBeLessThanOrEqual(budget / 2);
    // The same, but the others give their half back when asked: every key fits.
    let others = budget / 2;
    let asked = 0;
    const store = new PackedStates(
      budget,
      () => others,
      () => {
        asked++;
        if (others === 0) return false;
        others = 0;
        return true;
      },
    );
    for (const codes of keys) expect(store.add(keyOf(codes), codes.length, 0, 0)).toBe(ADDED);
    expect(asked).toBe(1);
    expect(store.storeBytes()).toBeLessThanOrEqual(budget);
  });
});
