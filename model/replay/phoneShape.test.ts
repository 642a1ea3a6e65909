import { describe, expect, it } from 'vitest';
import type { PhoneState } from '../cluster/clusterState.ts';
import { shapeKeys } from './phoneShape.ts';

/**
 * A phone with every field of PhoneState set: `Required` makes the compiler refuse this file when a
 * field is added to PhoneState and not here, so the test below covers every field there is.
 */
const full: Required<PhoneState> = {
  id: 'SEP00000000000A',
  tftp: 'pub',
  pendingTftp: 'sub',
  tvs: ['pub', 'sub'],
  firmware: '12.8(1)',
  online: true,
  itl: 'a'.repeat(40),
  trust: 'trusted',
  status: 'Trust List Updated',
  lastDecision: { rule: 'R2', failures: [], event: 4 },
  configAccepted: true,
  hasConfig: true,
  restartingUntil: '2024-01-01T00:10:00.000Z',
  lockedAt: 3,
  recoveredAt: 4,
  ctl: { file: 'b'.repeat(40), state: 'installed', rule: 'C1', failures: [], event: 4 },
  unloadableItl: 'c'.repeat(40),
  sbd: false,
  securityProfile: 'encrypted',
};

/** Another value for each field (the type is Required only to list every field). */
const other: Required<PhoneState> = {
  id: 'SEP00000000000B',
  tftp: 'sub',
  pendingTftp: 'pub',
  tvs: ['sub', 'pub'],
  firmware: '12.8(2)',
  online: false,
  itl: null,
  trust: 'locked',
  status: 'Trust List Update Failed',
  lastDecision: { rule: 'R3', failures: [], event: 4 },
  configAccepted: false,
  hasConfig: false,
  restartingUntil: '2024-01-01T00:10:01.000Z',
  lockedAt: 4,
  recoveredAt: 5,
  ctl: { file: 'b'.repeat(40), state: 'rejected', rule: 'C1', failures: [], event: 4 },
  unloadableItl: 'd'.repeat(40),
  // sbd is false or absent: its other value is absence.
  sbd: undefined as unknown as false,
  securityProfile: 'authenticated',
};

describe('phone shapes', () => {
  it('should give phones equal but for their id one key', () => {
    const key = shapeKeys();
    expect(key({ ...full, id: 'SEP00000000000F', tvs: [...full.tvs] })).toBe(key(full));
  });

  it('should give a phone another key when any field but its id changes', () => {
    const key = shapeKeys();
    const fields = Object.keys(full).filter((f) => f !== 'id') as (keyof PhoneState)[];
    expect(fields).toHaveLength(18);
    for (const field of fields) expect(key({ ...full, [field]: other[field] }), field).not.toBe(key(full));
  });

  it('should tell a field left out from one set to undefined, and values that print alike', () => {
    const key = shapeKeys();
    const { pendingTftp: _, ...without } = full;
    expect(key(without)).not.toBe(key({ ...without, pendingTftp: undefined }));
    // The number 3 and the string "3", a string and an object whose JSON is that string.
    expect(key({ ...full, lockedAt: 3 })).not.toBe(key({ ...full, lockedAt: '3' as unknown as number }));
    expect(key({ ...full, status: JSON.stringify(full.tvs) })).not.toBe(
      key({ ...full, status: full.tvs as unknown as string }),
    );
  });
});
